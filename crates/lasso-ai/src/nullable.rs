//! [`Nullable`]: an optional argument the API also takes as `null`.

use serde::{Serialize, Serializer};

/// An optional argument that the API also takes as `null`, usually to clear a field:
/// not sent ([`Nullable::Omitted`], the default, which leaves the field as it is),
/// sent as `null` ([`Nullable::Null`]), or sent with a value ([`Nullable::Value`]).
///
/// The generated `…Params` structs use it for the arguments the spec marks nullable
/// (`tables.update`'s `enhancement_context`, a catalog webhook's `description`, …); every
/// other optional argument is an `Option`, where `None` is not sent. Their setters take
/// anything that converts into a `Nullable`.
///
/// ```
/// use lasso_ai::{Nullable, TablesUpdateParams};
///
/// // Clear the enhancement context; the name is left as it is.
/// let clear = TablesUpdateParams::new().enhancement_context(Nullable::Null);
/// // Set it (`From<T>` and, for strings, `From<&str>` make a `Value`).
/// let set = TablesUpdateParams::new().enhancement_context("Write in British English");
/// assert_eq!(serde_json::to_value(&clear).unwrap(), serde_json::json!({"enhancement_context": null}));
/// assert_eq!(
///     serde_json::to_value(&set).unwrap(),
///     serde_json::json!({"enhancement_context": "Write in British English"})
/// );
/// assert_eq!(serde_json::to_value(TablesUpdateParams::default()).unwrap(), serde_json::json!({}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent: the API leaves the field as it is.
    #[default]
    Omitted,
    /// Sent as `null`: the API clears the field (or resets it to its default).
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether it is [`Nullable::Omitted`] (the generated structs skip the field then).
    pub fn is_omitted(&self) -> bool {
        matches!(self, Nullable::Omitted)
    }

    /// Whether it is [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if it is a [`Nullable::Value`].
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

/// `null` for [`Nullable::Null`] (and for [`Nullable::Omitted`], which the generated
/// structs never serialize), the value otherwise.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(s),
            Nullable::Null | Nullable::Omitted => s.serialize_none(),
        }
    }
}
