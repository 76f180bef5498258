//! Python objects ⇄ JSON values, without a round trip through JSON text.

use lasso_ai::__bindings::ErrorExt;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::errors::to_pyerr;

/// Converts a JSON-like Python value (None, bool, int, float, str, list,
/// tuple, dict with str keys) into a JSON value; `what` names it in errors.
///
/// Refuses, before anything is sent, a list or dict that contains itself and
/// values nested deeper than the core's [`lasso_ai::__bindings::MAX_ARGUMENT_DEPTH`]
/// (counted as the core counts: the value itself is the first level), so
/// the recursion here is bounded too. Errors name the place of the value
/// (`arguments['data']['x'][0]`), put into words only when one is raised.
pub fn to_json(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    convert(&Place {
        up: None,
        step: Step::Root(what),
        value: obj,
        depth: 0,
    })
}

/// Where a value sits: its container's place and the key or index within
/// it. Lives on the stack of [`convert`]; a chain of these is the path.
struct Place<'a, 'py> {
    up: Option<&'a Place<'a, 'py>>,
    step: Step<'a, 'py>,
    value: &'a Bound<'py, PyAny>,
    /// Lists and dicts above this value.
    depth: usize,
}

enum Step<'a, 'py> {
    Root(&'a str),
    Key(&'a Bound<'py, PyString>),
    Index(usize),
}

/// How many keys and indexes of a path an error shows before `...`.
const SHOWN_STEPS: usize = 8;

impl<'a, 'py> Place<'a, 'py> {
    fn child<'b>(&'b self, step: Step<'b, 'py>, value: &'b Bound<'py, PyAny>) -> Place<'b, 'py> {
        Place {
            up: Some(self),
            step,
            value,
            depth: self.depth + 1,
        }
    }

    /// `arguments['data']['x'][0]`: the root's name, then each key (as
    /// Python writes it) or index; a long path is cut short with `...`.
    fn describe(&self) -> String {
        let mut places = Vec::with_capacity(self.depth + 1);
        let mut place = Some(self);
        while let Some(p) = place {
            places.push(p);
            place = p.up;
        }
        let mut out = String::new();
        for (i, p) in places.iter().rev().enumerate() {
            if i > SHOWN_STEPS {
                out.push_str("...");
                break;
            }
            match &p.step {
                Step::Root(name) => out.push_str(name),
                Step::Key(key) => match key.repr() {
                    Ok(r) => out.push_str(&format!("[{r}]")),
                    Err(_) => out.push_str(&format!("[{:?}]", key.to_string_lossy())),
                },
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The place of the list or dict above this value that is this very
    /// object, if any (a cycle).
    fn ancestor_same_as_self(&self) -> Option<&Place<'_, '_>> {
        let mut place = self.up;
        while let Some(p) = place {
            if p.value.is(self.value) {
                return Some(p);
            }
            place = p.up;
        }
        None
    }

    /// Checked for every list, tuple and dict before its items are read.
    fn enter_container(&self) -> PyResult<()> {
        if let Some(same) = self.ancestor_same_as_self() {
            return Err(invalid_argument(
                self.value.py(),
                format!(
                    "{}: this {} contains itself (it is the same object as {}); JSON cannot represent a cycle",
                    self.describe(),
                    type_name(self.value),
                    same.describe()
                ),
            ));
        }
        if self.depth >= lasso_ai::__bindings::MAX_ARGUMENT_DEPTH {
            return Err(invalid_argument(
                self.value.py(),
                format!(
                    "{}: nested more than {} levels (a dict or list that contains itself?); flatten it",
                    self.describe(),
                    lasso_ai::__bindings::MAX_ARGUMENT_DEPTH
                ),
            ));
        }
        Ok(())
    }
}

/// The error of a value that cannot be sent: `ConfigurationError` (a
/// `ValueError`), as the core raises for arguments nested too deep.
fn invalid_argument(py: Python<'_>, message: String) -> PyErr {
    to_pyerr(py, &<lasso_ai::Error as ErrorExt>::configuration_error(message))
}

fn convert(place: &Place<'_, '_>) -> PyResult<Value> {
    let obj = place.value;
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(PyValueError::new_err(format!(
            "{}: integer {obj} is too large for JSON",
            place.describe()
        )));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v).map(Value::Number).ok_or_else(|| {
            PyValueError::new_err(format!(
                "{}: {v} cannot be sent as JSON (NaN and infinity are not allowed)",
                place.describe()
            ))
        });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        place.enter_container()?;
        let mut map = Map::with_capacity(d.len());
        // Over a copy of the items: converting a value can run Python code
        // (a list subclass's `__iter__`) that changes the dict, which stops
        // pyo3's iterator with a panic.
        for item in d.items().iter() {
            let (k, v) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            let key = k.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{}: dictionary keys must be str, got {}",
                    place.describe(),
                    type_name(&k)
                ))
            })?;
            let value = convert(&place.child(Step::Key(key), &v))?;
            map.insert(key.to_cow()?.into_owned(), value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        place.enter_container()?;
        let mut items = Vec::with_capacity(obj.len().unwrap_or(0));
        for (i, item) in obj.try_iter()?.enumerate() {
            items.push(convert(&place.child(Step::Index(i), &item?))?);
        }
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "{}: a value of type {} cannot be sent to the API; use str, int, float, bool, None, list or dict",
        place.describe(),
        type_name(obj)
    )))
}

/// Converts a JSON value into plain Python objects (dict, list, str, int,
/// float, bool, None), as the official SDK returns them.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// Decodes JSON text straight into plain Python objects, as `to_py` would
/// return them for the same document, without building a `Value` first
/// (which cost more than the Python objects themselves). The text has
/// already arrived; this runs with the GIL held.
pub fn json_to_py<'py>(py: Python<'py>, text: &[u8]) -> Result<Bound<'py, PyAny>, String> {
    JsonDecoder::default().decode(py, text)
}

/// [`json_to_py`] for several documents that share their object keys (the
/// rows of a page).
#[derive(Default)]
pub struct JsonDecoder {
    keys: KeyCache,
}

impl JsonDecoder {
    pub fn decode<'py>(&mut self, py: Python<'py>, text: &[u8]) -> Result<Bound<'py, PyAny>, String> {
        if text.iter().all(u8::is_ascii_whitespace) {
            return Ok(py.None().into_bound(py));
        }
        // Validated once here rather than string by string by the parser.
        let text = std::str::from_utf8(text).map_err(|e| format!("the body is not UTF-8: {e}"))?;
        let mut de = serde_json::Deserializer::from_str(text);
        let value = PySeed {
            py,
            keys: &mut self.keys,
        }
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        Ok(value)
    }
}

/// Object keys seen so far: the rows of a page repeat the same
/// few keys, so each becomes one Python string, shared (and hashed once).
#[derive(Default)]
struct KeyCache(HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>);

/// FNV-1a, for the key cache: SipHash showed in profiles of page decoding.
/// Colliding keys sent on purpose cost at most `KeyCache::LIMIT` comparisons.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl KeyCache {
    /// Past this many distinct keys a document is not a list of records:
    /// new keys are no longer remembered.
    const LIMIT: usize = 512;

    fn get<'py>(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.0.get(key) {
            return s.bind(py).clone();
        }
        let s = PyString::new(py, key);
        if self.0.len() < Self::LIMIT && key.len() <= 64 {
            self.0.insert(key.into(), s.clone().unbind());
        }
        s
    }
}

struct PySeed<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache,
}

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for PySeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, b).to_owned().into_any())
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
        Ok(i.into_pyobject(self.py).map_err(E::custom)?.into_any())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Self::Value, E> {
        Ok(u.into_pyobject(self.py).map_err(E::custom)?.into_any())
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Self::Value, E> {
        Ok(f.into_pyobject(self.py).map_err(E::custom)?.into_any())
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.py, s).into_any())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(PySeed {
            py: self.py,
            keys: &mut *self.keys,
        })? {
            items.push(item);
        }
        Ok(PyList::new(self.py, items).map_err(de::Error::custom)?.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some(key) = map.next_key_seed(KeySeed {
            py: self.py,
            keys: &mut *self.keys,
        })? {
            let value = map.next_value_seed(PySeed {
                py: self.py,
                keys: &mut *self.keys,
            })?;
            dict.set_item(key, value).map_err(de::Error::custom)?;
        }
        Ok(dict.into_any())
    }
}

/// An object key, looked up in the cache without allocating a `String`.
struct KeySeed<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache,
}

impl<'de, 'py> DeserializeSeed<'de> for KeySeed<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for KeySeed<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.keys.get(self.py, key))
    }
}
