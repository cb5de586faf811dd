//! Python values <-> JSON (`serde_json::Value`, or straight to and from JSON text).

use std::cell::RefCell;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde::de::{DeserializeSeed, Deserializer, Error as DeError, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::{Map, Number, Value};

use super::errors::MalformedTokenError;

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

pub(super) fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_at(obj, 0)
}

pub(super) fn to_value_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err("value is nested too deeply for JSON"));
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            map.insert(key_string(&k)?, to_value_at(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|v| to_value_at(&v, depth + 1))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t
            .iter()
            .map(|v| to_value_at(&v, depth + 1))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::from(n));
        }
        return i
            .extract::<u64>()
            .map(Value::from)
            .map_err(|_| PyValueError::new_err("integer is out of the JSON range (64 bits)"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity are not JSON"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let mut map = Map::new();
        for item in m.items()?.iter() {
            let (k, v) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            map.insert(key_string(&k)?, to_value_at(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    Err(PyTypeError::new_err(format!(
        "{} is not JSON-serializable",
        obj.get_type().name()?
    )))
}

fn key_string(key: &Bound<'_, PyAny>) -> PyResult<String> {
    key.cast::<PyString>()
        .map_err(|_| PyTypeError::new_err("JSON object keys must be str"))?
        .to_str()
        .map(str::to_owned)
}

pub(super) fn to_object(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Map<String, Value>> {
    match to_value(obj)? {
        Value::Object(map) => Ok(map),
        _ => Err(PyTypeError::new_err(format!("{what} must be a mapping"))),
    }
}

pub(super) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
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
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

pub(super) fn map_to_py<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, to_py(py, v)?)?;
    }
    Ok(dict)
}

/// Serializes a Python value straight to JSON (no intermediate `Value`), for signing. The first
/// Python error met is kept in `error`, so the caller can raise it as it was.
pub(super) struct PyJson<'a, 'py> {
    pub(super) obj: &'a Bound<'py, PyAny>,
    pub(super) error: &'a RefCell<Option<PyErr>>,
    /// Top-level members to leave out (replaced by the caller).
    pub(super) skip: &'a [&'a str],
    pub(super) depth: usize,
}

impl<'a, 'py> PyJson<'a, 'py> {
    fn child(&self, obj: &'a Bound<'py, PyAny>) -> Self {
        PyJson {
            obj,
            error: self.error,
            skip: &[],
            depth: self.depth + 1,
        }
    }

    fn fail<E: serde::ser::Error>(&self, err: PyErr) -> E {
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(err);
        }
        E::custom("unserializable Python value")
    }
}

impl Serialize for PyJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let obj = self.obj;
        if self.depth > MAX_DEPTH {
            return Err(self.fail(PyValueError::new_err("value is nested too deeply for JSON")));
        }
        if let Ok(v) = obj.cast_exact::<PyString>() {
            return s.serialize_str(v.to_str().map_err(|e| self.fail(e))?);
        }
        if obj.is_none() {
            return s.serialize_unit();
        }
        if let Ok(b) = obj.cast_exact::<PyBool>() {
            return s.serialize_bool(b.is_true());
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            let mut map = s.serialize_map(None)?;
            for (k, v) in d.iter() {
                let key = k
                    .cast::<PyString>()
                    .map_err(|_| self.fail(PyTypeError::new_err("JSON object keys must be str")))?
                    .to_str()
                    .map_err(|e| self.fail(e))?;
                if self.skip.contains(&key) {
                    continue;
                }
                map.serialize_entry(key, &self.child(&v))?;
            }
            return map.end();
        }
        if let Ok(l) = obj.cast::<PyList>() {
            let mut seq = s.serialize_seq(Some(l.len()))?;
            for v in l.iter() {
                seq.serialize_element(&self.child(&v))?;
            }
            return seq.end();
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            let mut seq = s.serialize_seq(Some(t.len()))?;
            for v in t.iter() {
                seq.serialize_element(&self.child(&v))?;
            }
            return seq.end();
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            if let Ok(n) = i.extract::<i64>() {
                return s.serialize_i64(n);
            }
            return match i.extract::<u64>() {
                Ok(n) => s.serialize_u64(n),
                Err(_) => Err(self.fail(PyValueError::new_err(
                    "integer is out of the JSON range (64 bits)",
                ))),
            };
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            let v = f.value();
            if !v.is_finite() {
                return Err(self.fail(PyValueError::new_err("NaN and infinity are not JSON")));
            }
            return s.serialize_f64(v);
        }
        // Anything else (str subclasses, other mappings) goes through the general converter.
        let value = to_value_at(obj, self.depth).map_err(|e| self.fail(e))?;
        value.serialize(s)
    }
}

/// Builds Python objects straight from JSON (no intermediate `Value`).
#[derive(Clone, Copy)]
struct PySeed<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: DeError>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }

    fn visit_i64<E: DeError>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0).map_err(E::custom)?.into_any())
    }

    fn visit_u64<E: DeError>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0).map_err(E::custom)?.into_any())
    }

    fn visit_f64<E: DeError>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0).map_err(E::custom)?.into_any())
    }

    fn visit_str<E: DeError>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, v).into_any())
    }

    fn visit_unit<E: DeError>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(A::Error::custom)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(A::Error::custom)?;
        }
        Ok(dict.into_any())
    }
}

/// Parse JSON text we already know to be an object into a Python dict.
pub(super) fn json_object_to_py<'py>(py: Python<'py>, json: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let obj = PySeed(py)
        .deserialize(&mut de)
        .and_then(|obj| de.end().map(|_| obj))
        .map_err(|e| MalformedTokenError::new_err(format!("malformed token: {e}")))?;
    obj.cast_into::<PyDict>().map_err(|_| {
        MalformedTokenError::new_err("malformed token: the claims are not a JSON object")
    })
}

pub(super) fn opt_object(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<Map<String, Value>>> {
    obj.filter(|o| !o.is_none())
        .map(|o| to_object(o, what))
        .transpose()
}
