//! The reader building `serde_json` values.

use super::{read, Build, Number, ReadError, SyntaxError};

/// Builds `serde_json` values: the reader's counterpart in tests and fuzzing, and the form the
/// pure Rust callers of the token functions use.
pub struct ValueBuilder;

impl Build for ValueBuilder {
    type Value = serde_json::Value;
    type Array = Vec<serde_json::Value>;
    type Object = serde_json::Map<String, serde_json::Value>;
    /// Never made here: the error of the callers that verify tokens into values.
    type Error = crate::error::Error;

    fn null(&mut self) -> Result<Self::Value, Self::Error> {
        Ok(serde_json::Value::Null)
    }
    fn boolean(&mut self, value: bool) -> Result<Self::Value, Self::Error> {
        Ok(serde_json::Value::Bool(value))
    }
    fn number(&mut self, value: Number) -> Result<Self::Value, Self::Error> {
        Ok(match value {
            Number::U64(n) => n.into(),
            Number::I64(n) => n.into(),
            // Finite by construction.
            Number::F64(f) => {
                serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
            }
        })
    }
    fn string(&mut self, value: &str) -> Result<Self::Value, Self::Error> {
        Ok(serde_json::Value::String(value.to_owned()))
    }
    fn begin_array(&mut self) -> Result<Self::Array, Self::Error> {
        Ok(Vec::new())
    }
    fn push(&mut self, array: &mut Self::Array, item: Self::Value) -> Result<(), Self::Error> {
        array.push(item);
        Ok(())
    }
    fn end_array(&mut self, array: Self::Array) -> Result<Self::Value, Self::Error> {
        Ok(serde_json::Value::Array(array))
    }
    fn begin_object(&mut self) -> Result<Self::Object, Self::Error> {
        Ok(serde_json::Map::new())
    }
    fn insert(
        &mut self,
        object: &mut Self::Object,
        key: &str,
        value: Self::Value,
    ) -> Result<(), Self::Error> {
        object.insert(key.to_owned(), value);
        Ok(())
    }
    fn end_object(&mut self, object: Self::Object) -> Result<Self::Value, Self::Error> {
        Ok(serde_json::Value::Object(object))
    }
}

/// Read JSON text into a `serde_json::Value`.
pub fn read_value(json: &[u8]) -> Result<serde_json::Value, SyntaxError> {
    read(json, &mut ValueBuilder).map_err(|e| match e {
        ReadError::Syntax(s) => s,
        ReadError::Build(_) => SyntaxError {
            what: "unreadable",
            at: 0,
        },
    })
}
