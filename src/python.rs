//! The binding layer: the only module that knows about Python. It converts values at the boundary
//! and turns `Error` into the Python exception hierarchy; every decision lives in the pure modules.

use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType,
};
use std::cell::RefCell;

use serde::de::{DeserializeSeed, Deserializer, Error as DeError, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::{Map, Number, Value};

use crate::callback::{self, CallbackSettings};
use crate::command::{self, Command, CommandInput};
use crate::conversion::{self, ConversionInput};
use crate::editor::{
    self, CoEditing, CoEditingMode, EditorConfigInput, EditorType, Mode, Signing, Template, User,
};
use crate::error::{Error, TokenErrorKind};
use crate::formats::{self, DocumentType};
use crate::keys;
use crate::request::RequestSigning;
use crate::tokens::{self, Verifier};
use crate::urls::AllowedOrigins;

// ---------------------------------------------------------------------------------------------
// Exceptions

pyo3::create_exception!(
    onlyoffice_plone._core,
    CoreError,
    PyException,
    "Base class of every error the core raises."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    TokenError,
    CoreError,
    "A token is missing or was refused."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    MissingTokenError,
    TokenError,
    "No token where one is required."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    MalformedTokenError,
    TokenError,
    "The token is not a well-formed JWT, or a claim has the wrong type."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    InvalidSignatureError,
    TokenError,
    "The token's signature does not match the secret."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    ExpiredTokenError,
    TokenError,
    "The token's exp is in the past (beyond the leeway)."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    ImmatureTokenError,
    TokenError,
    "The token's nbf is in the future (beyond the leeway)."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    InvalidAlgorithmError,
    TokenError,
    "The token's alg is none, unknown or not accepted."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    CallbackError,
    CoreError,
    "A callback request was refused; str(error) says why."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    InvalidUrlError,
    CoreError,
    "A URL is not an absolute http(s) URL on an allowed origin."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    DocsError,
    CoreError,
    "Docs answered with an error code: see .code and .message."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    ProtocolError,
    CoreError,
    "A reply from Docs could not be read."
);

static INVALID_ARGUMENT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static CALLBACK_URL_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Exception classes with two bases, which `create_exception!` cannot make.
fn two_base_type<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    bases: (Bound<'py, PyType>, Bound<'py, PyType>),
    doc: &str,
) -> PyResult<Bound<'py, PyType>> {
    let ty = cell.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "onlyoffice_plone._core")?;
        namespace.set_item("__doc__", doc)?;
        let ty = py.get_type::<PyType>().call1((name, bases, namespace))?;
        Ok(ty.cast_into::<PyType>()?.unbind())
    })?;
    Ok(ty.bind(py).clone())
}

fn invalid_argument_error(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
    two_base_type(
        py,
        &INVALID_ARGUMENT_ERROR,
        "InvalidArgumentError",
        (py.get_type::<CoreError>(), py.get_type::<PyValueError>()),
        "A value the protocol does not allow was passed (also a ValueError).",
    )
}

fn callback_url_error(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
    two_base_type(
        py,
        &CALLBACK_URL_ERROR,
        "CallbackUrlError",
        (py.get_type::<CallbackError>(), py.get_type::<InvalidUrlError>()),
        "A callback URL is not http(s) or not on an allowed Docs origin (a CallbackError and an InvalidUrlError).",
    )
}

impl From<Error> for PyErr {
    fn from(err: Error) -> PyErr {
        let text = err.to_string();
        match err {
            Error::Token(kind, _) => match kind {
                TokenErrorKind::Missing => MissingTokenError::new_err(text),
                TokenErrorKind::Malformed => MalformedTokenError::new_err(text),
                TokenErrorKind::InvalidSignature => InvalidSignatureError::new_err(text),
                TokenErrorKind::Expired => ExpiredTokenError::new_err(text),
                TokenErrorKind::Immature => ImmatureTokenError::new_err(text),
                TokenErrorKind::InvalidAlgorithm => InvalidAlgorithmError::new_err(text),
            },
            Error::Callback(_) => CallbackError::new_err(text),
            Error::InvalidUrl {
                in_callback: false, ..
            } => InvalidUrlError::new_err(text),
            Error::InvalidUrl {
                in_callback: true, ..
            } => Python::attach(|py| match callback_url_error(py) {
                Ok(ty) => PyErr::from_type(ty, text),
                Err(e) => e,
            }),
            Error::InvalidArgument(_) => Python::attach(|py| match invalid_argument_error(py) {
                Ok(ty) => PyErr::from_type(ty, text),
                Err(e) => e,
            }),
            Error::Docs { code, message } => Python::attach(|py| {
                let make = || -> PyResult<PyErr> {
                    let instance = py.get_type::<DocsError>().call1((text,))?;
                    instance.setattr("code", code)?;
                    instance.setattr("message", message)?;
                    Ok(PyErr::from_value(instance))
                };
                make().unwrap_or_else(|e| e)
            }),
            Error::Protocol(_) => ProtocolError::new_err(text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Python values <-> serde_json::Value

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_at(obj, 0)
}

fn to_value_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
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

fn to_object(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Map<String, Value>> {
    match to_value(obj)? {
        Value::Object(map) => Ok(map),
        _ => Err(PyTypeError::new_err(format!("{what} must be a mapping"))),
    }
}

fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
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

fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, to_py(py, v)?)?;
    }
    Ok(dict)
}

/// Serializes a Python value straight to JSON (no intermediate `Value`), for signing. The first
/// Python error met is kept in `error`, so the caller can raise it as it was.
struct PyJson<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    error: &'a RefCell<Option<PyErr>>,
    /// Top-level members to leave out (replaced by the caller).
    skip: &'a [&'a str],
    depth: usize,
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
fn json_object_to_py<'py>(py: Python<'py>, json: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let obj = PySeed(py)
        .deserialize(&mut de)
        .and_then(|obj| de.end().map(|_| obj))
        .map_err(|e| MalformedTokenError::new_err(format!("malformed token: {e}")))?;
    obj.cast_into::<PyDict>().map_err(|_| {
        MalformedTokenError::new_err("malformed token: the claims are not a JSON object")
    })
}

/// Sign a Python mapping as JWT claims, appending `iat` (unless the mapping has one) and `exp`
/// (when `expires_in` is given, replacing the mapping's).
fn sign_py_claims(
    claims: &Bound<'_, PyAny>,
    wrap_in_payload: bool,
    secret: &str,
    alg: jsonwebtoken::Algorithm,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let error = RefCell::new(None);
    let now = tokens::now();
    let exp = expires_in.map(|e| now.saturating_add(e));
    let result = if wrap_in_payload {
        let payload = PyJson {
            obj: claims,
            error: &error,
            skip: &[],
            depth: 1,
        };
        #[derive(Serialize)]
        struct Wrapped<'a, 'py> {
            payload: PyJson<'a, 'py>,
        }
        tokens::sign_timed(&Wrapped { payload }, secret, alg, Some(now), exp)
    } else {
        let dict = claims
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("claims must be a dict"))?;
        let has_iat = dict.contains("iat")?;
        let skip: &[&str] = if exp.is_some() { &["exp"] } else { &[] };
        let body = PyJson {
            obj: claims,
            error: &error,
            skip,
            depth: 0,
        };
        tokens::sign_timed(&body, secret, alg, (!has_iat).then_some(now), exp)
    };
    if let Some(err) = error.into_inner() {
        return Err(err);
    }
    Ok(result?)
}

fn algorithms(names: &[String]) -> PyResult<Vec<jsonwebtoken::Algorithm>> {
    Ok(names
        .iter()
        .map(|n| tokens::parse_algorithm(n))
        .collect::<Result<_, _>>()?)
}

fn leeway(seconds: i64) -> PyResult<u64> {
    u64::try_from(seconds).map_err(|_| Error::argument("leeway must not be negative").into())
}

// ---------------------------------------------------------------------------------------------
// Formats

/// One row of the project's format table.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct Format(&'static formats::Format);

#[pymethods]
impl Format {
    /// Lowercase extension without the dot.
    #[getter]
    fn extension(&self) -> &'static str {
        self.0.extension
    }

    /// "word", "cell", "slide", "pdf", "diagram", or None for formats Docs only produces.
    #[getter]
    fn document_type(&self) -> Option<&'static str> {
        self.0.document_type.map(DocumentType::as_str)
    }

    /// Actions as the reference table names them (view, edit, lossy-edit, auto-convert, ...).
    #[getter]
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.actions().collect::<Vec<_>>())
    }

    /// Formats Docs can convert this one into.
    #[getter]
    fn convert_to<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.convert_to)
    }

    /// MIME types, the canonical one first.
    #[getter]
    fn mime_types<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.mime_types)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Format {} {:?}>",
            self.0.extension,
            self.0.document_type.map(DocumentType::as_str)
        )
    }
}

/// What the Plone side needs to know about one file.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct Classification(formats::Classification);

#[pymethods]
impl Classification {
    /// Lowercase extension without the dot.
    #[getter]
    fn extension(&self) -> &'static str {
        self.0.extension()
    }
    /// "word", "cell", "slide", "pdf" or "diagram".
    #[getter]
    fn document_type(&self) -> &'static str {
        self.0.document_type.as_str()
    }
    /// The table's first MIME type for the format (application/octet-stream when it has none).
    #[getter]
    fn mime_type(&self) -> &'static str {
        self.0.mime_type()
    }
    #[getter]
    fn can_view(&self) -> bool {
        self.0.can_view
    }
    /// Editable: an "edit" format, or a "lossy-edit" format the administrator allowed.
    #[getter]
    fn can_edit(&self) -> bool {
        self.0.can_edit
    }
    /// The format is lossy-edit (editing may lose features).
    #[getter]
    fn lossy(&self) -> bool {
        self.0.lossy
    }
    /// The OOXML format ("docx", "xlsx", "pptx", "pdf") an auto-convert format converts to, else None.
    #[getter]
    fn convert_to(&self) -> Option<&'static str> {
        self.0.convert_to
    }
    /// "Download as" targets.
    #[getter]
    fn download_as<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.download_as())
    }
    /// A fillable form (the table's "fill" action).
    #[getter]
    fn is_form(&self) -> bool {
        self.0.is_form
    }
    #[getter]
    fn can_review(&self) -> bool {
        self.0.can_review
    }
    #[getter]
    fn can_comment(&self) -> bool {
        self.0.can_comment
    }

    fn __repr__(&self) -> String {
        let c = &self.0;
        format!(
            "<Classification {} {} view={} edit={} convert_to={:?}>",
            c.extension(),
            c.document_type.as_str(),
            c.can_view,
            c.can_edit,
            c.convert_to
        )
    }
}

/// Every format ONLYOFFICE Docs knows, in table order.
#[pyfunction(name = "formats")]
fn all_formats(py: Python<'_>) -> PyResult<Vec<Py<Format>>> {
    formats::formats()
        .iter()
        .map(|f| Py::new(py, Format(f)))
        .collect()
}

/// Extensions Docs edits only with a loss of features; editable when the administrator allows.
#[pyfunction]
fn lossy_edit_extensions() -> Vec<&'static str> {
    formats::lossy_edit_extensions().collect()
}

/// Classify a file by name and/or MIME type; None when it is not an office document.
///
/// The file name's extension decides when the table knows it, otherwise the MIME type does.
/// `lossy_edit` lists the lossy formats the administrator allows editing.
#[pyfunction]
#[pyo3(signature = (filename=None, mime_type=None, *, lossy_edit=Vec::new()), text_signature = "(filename=None, mime_type=None, *, lossy_edit=())")]
fn classify(
    filename: Option<&str>,
    mime_type: Option<&str>,
    lossy_edit: Vec<String>,
) -> Option<Classification> {
    formats::classify(filename, mime_type, &lossy_edit).map(Classification)
}

// ---------------------------------------------------------------------------------------------
// Keys

/// The document key of one content revision of one object of one Plone site.
///
/// Deterministic; only 0-9 a-z A-Z - . _ =; at most 128 characters; `<uid>.<digest>`.
#[pyfunction]
fn document_key(instance_id: &str, uid: &str, revision: &str) -> PyResult<String> {
    Ok(keys::document_key(instance_id, uid, revision)?)
}

/// Whether `key` is a key Docs accepts (1-128 characters of 0-9 a-z A-Z - . _ =).
#[pyfunction]
fn is_valid_key(key: &str) -> bool {
    keys::is_valid_key(key)
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// Sign claims into a flat JWT; adds `iat` (unless given) and `exp` when `expires_in` is set.
#[pyfunction]
#[pyo3(signature = (claims, secret, *, algorithm="HS256", expires_in=None))]
fn sign_token(
    claims: &Bound<'_, PyAny>,
    secret: &str,
    algorithm: &str,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let alg = tokens::parse_algorithm(algorithm)?;
    if let Ok(dict) = claims.cast::<PyDict>() {
        return sign_py_claims(dict.as_any(), false, secret, alg, expires_in);
    }
    let claims = to_object(claims, "claims")?;
    Ok(tokens::sign_token(claims, secret, alg, expires_in)?)
}

/// Sign a header token as Docs expects it: `{"payload": payload, "iat": ..., "exp": ...}`.
#[pyfunction]
#[pyo3(signature = (payload, secret, *, algorithm="HS256", expires_in=None))]
fn sign_header_token(
    payload: &Bound<'_, PyAny>,
    secret: &str,
    algorithm: &str,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let alg = tokens::parse_algorithm(algorithm)?;
    let payload = to_object(payload, "payload")?;
    Ok(tokens::sign_header_token(
        Value::Object(payload),
        secret,
        alg,
        expires_in,
    )?)
}

/// Verify a JWT (signature, algorithm, and exp/nbf when present) and return its claims.
#[pyfunction]
#[pyo3(
    signature = (token, secret, *, leeway=60, algorithms=vec!["HS256".to_owned(), "HS384".to_owned(), "HS512".to_owned()]),
    text_signature = "(token, secret, *, leeway=60, algorithms=('HS256', 'HS384', 'HS512'))"
)]
fn verify_token<'py>(
    py: Python<'py>,
    token: &str,
    secret: &str,
    leeway: i64,
    algorithms: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let algs = self::algorithms(&algorithms)?;
    let verifier = Verifier {
        secret,
        leeway: self::leeway(leeway)?,
        algorithms: &algs,
    };
    json_object_to_py(py, &verifier.verify_claims_json(token)?)
}

/// The verified data of a request from Docs: the body "token" first, else the header token
/// ("Bearer " prefix optional) with its "payload" unwrapped. MissingTokenError when neither.
#[pyfunction]
#[pyo3(signature = (body, header_value, secret, *, leeway=60))]
fn incoming_payload<'py>(
    py: Python<'py>,
    body: Option<&Bound<'py, PyAny>>,
    header_value: Option<&str>,
    secret: &str,
    leeway: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let body = body.map(|b| to_object(b, "body")).transpose()?;
    let verifier = Verifier::new(secret).with_leeway(self::leeway(leeway)?);
    let (data, _) = tokens::incoming_payload(body.as_ref(), header_value, &verifier)?;
    map_to_py(py, &data)
}

// ---------------------------------------------------------------------------------------------
// Editor config

fn opt_object(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<Map<String, Value>>> {
    obj.filter(|o| !o.is_none())
        .map(|o| to_object(o, what))
        .transpose()
}

fn templates(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Template>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = to_value(obj)? else {
        return Err(PyTypeError::new_err(
            "templates must be a sequence of mappings",
        ));
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(mut t) = item else {
                return Err(PyTypeError::new_err("each template must be a mapping"));
            };
            let mut field = |name: &str, required: bool| -> PyResult<Option<String>> {
                match t.remove(name) {
                    Some(Value::String(s)) => Ok(Some(s)),
                    None | Some(Value::Null) if !required => Ok(None),
                    _ => Err(Error::argument(format!("template {name} must be a string")).into()),
                }
            };
            let template = Template {
                title: field("title", true)?.unwrap_or_default(),
                url: field("url", true)?.unwrap_or_default(),
                image: field("image", false)?,
            };
            if let Some(extra) = t.keys().next() {
                return Err(Error::argument(format!("unknown template member {extra:?}")).into());
            }
            Ok(template)
        })
        .collect()
}

/// Build the editor config as JSON text ready to embed in a page (escapes <, >, &, U+2028 and
/// U+2029), signed whole into "token" when `secret` is given.
///
/// `document_type` is inferred from `file_type` when None. Permissions are Docs' names mapped to
/// booleans (and commentGroups/reviewGroups/userInfoGroups); unset ones take Docs' defaults, with
/// `edit` following `mode`. `editor_extra` adds editorConfig members that have no parameter here.
#[pyfunction]
#[pyo3(signature = (
    *, key, url, title, file_type, callback_url=None, document_type=None, mode="edit",
    editor_type="desktop", lang=None, region=None, user_id=None, user_name=None, user_group=None,
    user_image=None, permissions=None, customization=None, co_editing_mode=None,
    co_editing_change=None, templates=None, create_url=None, info=None, reference_data=None,
    is_form=None, editor_extra=None, width=None, height=None, secret=None, algorithm="HS256",
    expires_in=None
))]
#[allow(clippy::too_many_arguments)]
fn build_editor_config(
    key: String,
    url: String,
    title: String,
    file_type: String,
    callback_url: Option<String>,
    document_type: Option<&str>,
    mode: &str,
    editor_type: &str,
    lang: Option<String>,
    region: Option<String>,
    user_id: Option<String>,
    user_name: Option<String>,
    user_group: Option<String>,
    user_image: Option<String>,
    permissions: Option<&Bound<'_, PyAny>>,
    customization: Option<&Bound<'_, PyAny>>,
    co_editing_mode: Option<&str>,
    co_editing_change: Option<bool>,
    templates: Option<&Bound<'_, PyAny>>,
    create_url: Option<String>,
    info: Option<&Bound<'_, PyAny>>,
    reference_data: Option<&Bound<'_, PyAny>>,
    is_form: Option<bool>,
    editor_extra: Option<&Bound<'_, PyAny>>,
    width: Option<String>,
    height: Option<String>,
    secret: Option<&str>,
    algorithm: &str,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let document_type = document_type
        .map(|t| {
            DocumentType::parse(t).ok_or_else(|| {
                Error::argument(format!(
                    "document type {t:?} is not word, cell, slide, pdf or diagram"
                ))
            })
        })
        .transpose()?;
    let user = match (user_id, user_name, user_group, user_image) {
        (Some(id), name, group, image) => Some(User {
            id,
            name,
            group,
            image,
        }),
        (None, None, None, None) => None,
        _ => {
            return Err(Error::argument("user_name, user_group and user_image need user_id").into())
        }
    };
    let co_editing = match (co_editing_mode, co_editing_change) {
        (Some(m), change) => Some(CoEditing {
            mode: CoEditingMode::parse(m)?,
            change: change.unwrap_or(true),
        }),
        (None, None) => None,
        (None, Some(_)) => {
            return Err(Error::argument("co_editing_change needs co_editing_mode").into())
        }
    };
    let mut perms = editor::Permissions::default();
    if let Some(map) = opt_object(permissions, "permissions")? {
        for (name, value) in map {
            perms.set(&name, value)?;
        }
    }
    let input = EditorConfigInput {
        key,
        url,
        title,
        file_type,
        document_type,
        callback_url,
        mode: Mode::parse(mode)?,
        editor_type: EditorType::parse(editor_type)?,
        lang,
        region,
        user,
        permissions: perms,
        customization: opt_object(customization, "customization")?,
        co_editing,
        templates: self::templates(templates)?,
        create_url,
        info: opt_object(info, "info")?,
        reference_data: opt_object(reference_data, "reference_data")?,
        is_form,
        editor_extra: opt_object(editor_extra, "editor_extra")?,
        width,
        height,
    };
    let signing = match secret.filter(|s| !s.is_empty()) {
        Some(secret) => Some(Signing {
            secret,
            algorithm: tokens::parse_algorithm(algorithm)?,
            expires_in,
        }),
        None => None,
    };
    Ok(editor::build_editor_config(&input, signing)?)
}

// ---------------------------------------------------------------------------------------------
// Callbacks

/// The callback statuses Docs sends (as ints on Callback.status).
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct CallbackStatus;

#[pymethods]
impl CallbackStatus {
    #[classattr]
    const EDITING: u8 = 1;
    #[classattr]
    const MUST_SAVE: u8 = 2;
    #[classattr]
    const CORRUPTED: u8 = 3;
    #[classattr]
    const CLOSED: u8 = 4;
    #[classattr]
    const MUST_FORCESAVE: u8 = 6;
    #[classattr]
    const CORRUPTED_FORCESAVE: u8 = 7;
}

/// A validated callback from Docs.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct Callback(callback::Callback);

#[pymethods]
impl Callback {
    /// 1, 2, 3, 4, 6 or 7 (see CallbackStatus).
    #[getter]
    fn status(&self) -> u8 {
        self.0.status.code()
    }
    #[getter]
    fn key(&self) -> &str {
        &self.0.key
    }
    /// The edited file (statuses 2, 3, 6, 7), on an allowed Docs origin.
    #[getter]
    fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// The changes archive (changes.zip), on an allowed Docs origin.
    #[getter]
    fn changesurl(&self) -> Option<&str> {
        self.0.changesurl.as_deref()
    }
    /// The form data of a submitted form (forcesavetype 3), on an allowed Docs origin.
    #[getter]
    fn formsdataurl(&self) -> Option<&str> {
        self.0.formsdataurl.as_deref()
    }
    /// Lowercase extension of the file at `url`.
    #[getter]
    fn filetype(&self) -> Option<&str> {
        self.0.filetype.as_deref()
    }
    /// {"serverVersion": ..., "changes": [...]}, or None.
    #[getter]
    fn history<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.0
            .history
            .as_ref()
            .map(|h| map_to_py(py, h))
            .transpose()
    }
    #[getter]
    fn users(&self) -> Vec<String> {
        self.0.users.clone()
    }
    /// [{"type": 0 left | 1 joined | 2 forcesave button, "userid": ...}, ...]
    #[getter]
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.0.actions.iter().map(|a| map_to_py(py, a)).collect()
    }
    /// 0 command, 1 Save button, 2 timer, 3 form submission; None outside statuses 6/7.
    #[getter]
    fn forcesavetype(&self) -> Option<i64> {
        self.0.forcesavetype
    }
    #[getter]
    fn userdata(&self) -> Option<&str> {
        self.0.userdata.as_deref()
    }
    #[getter]
    fn lastsave(&self) -> Option<&str> {
        self.0.lastsave.as_deref()
    }
    #[getter]
    fn notmodified(&self) -> bool {
        self.0.notmodified
    }
    /// Where the data came from: "body" token, "header" token, or "none" (JWT off).
    #[getter]
    fn token_source(&self) -> &'static str {
        self.0.token_source.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Callback status={} key={:?} from {}>",
            self.0.status.code(),
            self.0.key,
            self.0.token_source.as_str()
        )
    }
}

/// Parse and validate a callback request.
///
/// With a secret, only verified token data is read: the body token first (Docs trims changesurl
/// and history from the header token and the plain fields of large callbacks), else the header
/// token's payload. Without one (None or ""), the plain fields are read. Raises TokenError
/// subclasses for token problems, CallbackUrlError (a CallbackError and an InvalidUrlError) for a
/// url/changesurl/formsdataurl that is not http(s) on one of `allowed_origins` (an empty list
/// allows none), and CallbackError for anything else; the message says why.
#[pyfunction]
#[pyo3(
    signature = (body, header_value, *, secret, allowed_origins, leeway=60, max_bytes=1048576),
    text_signature = "(body, header_value, *, secret, allowed_origins, leeway=60, max_bytes=1048576)"
)]
fn parse_callback(
    body: &[u8],
    header_value: Option<&str>,
    secret: Option<&str>,
    allowed_origins: Vec<String>,
    leeway: i64,
    max_bytes: usize,
) -> PyResult<Callback> {
    let settings = CallbackSettings {
        secret,
        leeway: self::leeway(leeway)?,
        allowed_origins: AllowedOrigins::parse(&allowed_origins)?,
        max_bytes,
    };
    Ok(Callback(callback::parse_callback(
        body,
        header_value,
        &settings,
    )?))
}

/// Check that `url` is an absolute http(s) URL (no user info) on one of `allowed_origins`
/// (scheme + host + port; an empty list allows none). Raises InvalidUrlError saying why.
#[pyfunction]
#[pyo3(signature = (url, allowed_origins), text_signature = "(url, allowed_origins)")]
fn check_url(url: &str, allowed_origins: Vec<String>) -> PyResult<()> {
    Ok(AllowedOrigins::parse(&allowed_origins)?.check(url)?)
}

// ---------------------------------------------------------------------------------------------
// Conversion and commands

/// A request to send to Docs (the caller does the network I/O).
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct HttpRequest(crate::request::HttpRequest);

#[pymethods]
impl HttpRequest {
    /// Always "POST".
    #[getter]
    fn method(&self) -> &'static str {
        self.0.method
    }
    #[getter]
    fn url(&self) -> &str {
        &self.0.url
    }
    /// JSON body.
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.body)
    }
    /// Content-Type, Accept, and the JWT header when signed.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.0.headers {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!("<HttpRequest {} {}>", self.0.method, self.0.url)
    }
}

fn request_signing<'a>(
    secret: Option<&'a str>,
    header: &'a str,
    expires_in: i64,
) -> Option<RequestSigning<'a>> {
    secret
        .filter(|s| !s.is_empty())
        .map(|secret| RequestSigning {
            secret,
            header,
            expires_in,
        })
}

/// Build a conversion request: POST <docs_url>/converter?shardkey=<key>, JSON, signed in body and
/// header when `secret` is given. Repeat the identical request (same key) to poll an async one.
#[pyfunction]
#[pyo3(signature = (
    docs_url, *, key, filetype, outputtype, url, title=None, async_=true, region=None,
    password=None, thumbnail=None, secret=None, header="Authorization", expires_in=300, shardkey=true
))]
#[allow(clippy::too_many_arguments)]
fn conversion_request(
    docs_url: &str,
    key: String,
    filetype: String,
    outputtype: String,
    url: String,
    title: Option<String>,
    async_: bool,
    region: Option<String>,
    password: Option<String>,
    thumbnail: Option<&Bound<'_, PyAny>>,
    secret: Option<&str>,
    header: &str,
    expires_in: i64,
    shardkey: bool,
) -> PyResult<HttpRequest> {
    let input = ConversionInput {
        key,
        filetype,
        outputtype,
        url,
        title,
        async_,
        region,
        password,
        thumbnail: opt_object(thumbnail, "thumbnail")?,
    };
    let signing = request_signing(secret, header, expires_in);
    Ok(HttpRequest(conversion::conversion_request(
        docs_url, &input, signing, shardkey,
    )?))
}

/// A conversion reply: poll again while end_convert is False; file_url is set once it is True.
#[pyclass(module = "onlyoffice_plone._core", frozen, get_all)]
pub struct ConversionResult {
    end_convert: bool,
    percent: i64,
    file_url: Option<String>,
    file_type: Option<String>,
}

#[pymethods]
impl ConversionResult {
    fn __repr__(&self) -> String {
        format!(
            "<ConversionResult end_convert={} percent={} file_url={:?}>",
            self.end_convert, self.percent, self.file_url
        )
    }
}

/// Parse a conversion reply, JSON or legacy XML. Raises DocsError for an error code and
/// ProtocolError (a CoreError) for anything unreadable.
#[pyfunction]
#[pyo3(signature = (body, content_type=None))]
fn parse_conversion_response(
    body: &[u8],
    content_type: Option<&str>,
) -> PyResult<ConversionResult> {
    let r = conversion::parse_conversion_response(body, content_type)?;
    Ok(ConversionResult {
        end_convert: r.end_convert,
        percent: r.percent,
        file_url: r.file_url,
        file_type: r.file_type,
    })
}

/// Build a command request: POST <docs_url>/command (with ?shardkey=<key> when there is a key).
/// Raises InvalidArgumentError for an unknown command or missing/extra arguments.
#[pyfunction]
#[pyo3(signature = (
    docs_url, command, *, key=None, userdata=None, users=None, meta=None, secret=None,
    header="Authorization", expires_in=300, shardkey=true
))]
#[allow(clippy::too_many_arguments)]
fn command_request(
    docs_url: &str,
    command: &str,
    key: Option<String>,
    userdata: Option<String>,
    users: Option<Vec<String>>,
    meta: Option<&Bound<'_, PyAny>>,
    secret: Option<&str>,
    header: &str,
    expires_in: i64,
    shardkey: bool,
) -> PyResult<HttpRequest> {
    let command = Command::parse(command)?;
    let input = CommandInput {
        key,
        userdata,
        users,
        meta: opt_object(meta, "meta")?,
    };
    let signing = request_signing(secret, header, expires_in);
    Ok(HttpRequest(command::command_request(
        docs_url, command, &input, signing, shardkey,
    )?))
}

/// A command reply; `raw` is the whole reply.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct CommandResult(command::CommandResult);

#[pymethods]
impl CommandResult {
    /// 0, or the code that answers the command: 4 for forcesave (nothing to save), 1 for info (no
    /// editing session with that key).
    #[getter]
    fn error(&self) -> i64 {
        self.0.error
    }
    #[getter]
    fn key(&self) -> Option<&str> {
        self.0.key.as_deref()
    }
    /// The Docs version (command "version").
    #[getter]
    fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }
    /// The forgotten file (command "getForgotten").
    #[getter]
    fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Keys of forgotten files (command "getForgottenList").
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.0.keys.clone()
    }
    #[getter]
    fn users(&self) -> Vec<String> {
        self.0.users.clone()
    }
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.0.raw)
    }

    fn __repr__(&self) -> String {
        format!(
            "<CommandResult error={} key={:?}>",
            self.0.error, self.0.key
        )
    }
}

/// Parse a command reply. Raises DocsError for a nonzero error, except forcesave error 4 (not
/// modified) and info error 1 (no such session), which are returned in CommandResult.error.
#[pyfunction]
fn parse_command_response(command: &str, body: &[u8]) -> PyResult<CommandResult> {
    let command = Command::parse(command)?;
    Ok(CommandResult(command::parse_command_response(
        command, body,
    )?))
}

/// The plain-words meaning of a conversion error code (-1 ... -10).
#[pyfunction]
fn conversion_error_message(code: i64) -> &'static str {
    conversion::conversion_error_message(code)
}

/// The plain-words meaning of a command service error code (0 ... 7).
#[pyfunction]
fn command_error_message(code: i64) -> &'static str {
    command::command_error_message(code)
}

// ---------------------------------------------------------------------------------------------

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CoreError", py.get_type::<CoreError>())?;
    m.add("TokenError", py.get_type::<TokenError>())?;
    m.add("MissingTokenError", py.get_type::<MissingTokenError>())?;
    m.add("MalformedTokenError", py.get_type::<MalformedTokenError>())?;
    m.add(
        "InvalidSignatureError",
        py.get_type::<InvalidSignatureError>(),
    )?;
    m.add("ExpiredTokenError", py.get_type::<ExpiredTokenError>())?;
    m.add("ImmatureTokenError", py.get_type::<ImmatureTokenError>())?;
    m.add(
        "InvalidAlgorithmError",
        py.get_type::<InvalidAlgorithmError>(),
    )?;
    m.add("CallbackError", py.get_type::<CallbackError>())?;
    m.add("InvalidUrlError", py.get_type::<InvalidUrlError>())?;
    m.add("CallbackUrlError", callback_url_error(py)?)?;
    m.add("InvalidArgumentError", invalid_argument_error(py)?)?;
    m.add("ProtocolError", py.get_type::<ProtocolError>())?;
    let docs_error = py.get_type::<DocsError>();
    docs_error.setattr("code", 0)?;
    docs_error.setattr("message", "")?;
    m.add("DocsError", docs_error)?;

    m.add_class::<Format>()?;
    m.add_class::<Classification>()?;
    m.add_class::<CallbackStatus>()?;
    m.add_class::<Callback>()?;
    m.add_class::<HttpRequest>()?;
    m.add_class::<ConversionResult>()?;
    m.add_class::<CommandResult>()?;

    m.add_function(wrap_pyfunction!(all_formats, m)?)?;
    m.add_function(wrap_pyfunction!(lossy_edit_extensions, m)?)?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_function(wrap_pyfunction!(document_key, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid_key, m)?)?;
    m.add_function(wrap_pyfunction!(sign_token, m)?)?;
    m.add_function(wrap_pyfunction!(sign_header_token, m)?)?;
    m.add_function(wrap_pyfunction!(verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(incoming_payload, m)?)?;
    m.add_function(wrap_pyfunction!(build_editor_config, m)?)?;
    m.add_function(wrap_pyfunction!(parse_callback, m)?)?;
    m.add_function(wrap_pyfunction!(check_url, m)?)?;
    m.add_function(wrap_pyfunction!(conversion_request, m)?)?;
    m.add_function(wrap_pyfunction!(parse_conversion_response, m)?)?;
    m.add_function(wrap_pyfunction!(command_request, m)?)?;
    m.add_function(wrap_pyfunction!(parse_command_response, m)?)?;
    m.add_function(wrap_pyfunction!(conversion_error_message, m)?)?;
    m.add_function(wrap_pyfunction!(command_error_message, m)?)?;
    Ok(())
}
