//! Python objects ⇄ JSON values, without a round trip through JSON text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Converts a JSON-like Python value (None, bool, int, float, str, list,
/// tuple, dict with str keys) into a JSON value; `what` names it in errors.
pub fn to_json(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
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
            "{what}: integer {obj} is too large for JSON"
        )));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v).map(Value::Number).ok_or_else(|| {
            PyValueError::new_err(format!(
                "{what}: {v} cannot be sent as JSON (NaN and infinity are not allowed)"
            ))
        });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| {
                    PyTypeError::new_err(format!(
                        "{what}: dictionary keys must be str, got {}",
                        type_name(&k)
                    ))
                })?
                .to_cow()?
                .into_owned();
            let value = to_json(&v, &format!("{what}[{key:?}]"))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .enumerate()
            .map(|(i, v)| to_json(&v?, &format!("{what}[{i}]")))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    Err(PyTypeError::new_err(format!(
        "{what}: a value of type {} cannot be sent to the API; use str, int, float, bool, None, list or dict",
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
