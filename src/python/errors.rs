//! The Python exception hierarchy, and the one conversion of the core's `Error` into it.

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyString, PyType};

use crate::error::{Error, TokenErrorKind};

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
    UrlTokenError,
    TokenError,
    "A URL token Plone signed is missing, forged, expired or made for something else."
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
    "A URL is not an absolute http(s) URL on an allowed origin; .reason says why in a word: \
     scheme, credentials, query or origin."
);
pyo3::create_exception!(
    onlyoffice_plone._core,
    DocsError,
    CoreError,
    "Docs answered with an error code: see .code and .message; .kind and .http_status say what \
     it means for the caller's reply."
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
    attrs: &[(&str, Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyType>> {
    let ty = cell.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "onlyoffice_plone._core")?;
        namespace.set_item("__doc__", doc)?;
        for (name, value) in attrs {
            namespace.set_item(*name, value)?;
        }
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
        &[],
    )
}

fn callback_url_error(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
    two_base_type(
        py,
        &CALLBACK_URL_ERROR,
        "CallbackUrlError",
        (
            py.get_type::<CallbackError>(),
            py.get_type::<InvalidUrlError>(),
        ),
        "A callback URL is not http(s) or not on an allowed Docs origin (a CallbackError and an \
         InvalidUrlError); .key and .status are those of the callback, as Docs signed them, and \
         .is_final_save says whether it ended its session with a save Plone now refuses.",
        &[
            ("key", py.None().into_bound(py)),
            ("status", py.None().into_bound(py)),
            (
                "is_final_save",
                PyBool::new(py, false).to_owned().into_any(),
            ),
        ],
    )
}

/// An exception of class `ty` with message `text` and the attributes `attrs`.
fn with_attributes<'py>(
    ty: PyResult<Bound<'py, PyType>>,
    text: String,
    attrs: &[(&str, Bound<'py, PyAny>)],
) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let instance = ty?.call1((text,))?;
        for (name, value) in attrs {
            instance.setattr(*name, value)?;
        }
        Ok(PyErr::from_value(instance))
    };
    make().unwrap_or_else(|e| e)
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
                TokenErrorKind::UrlToken => UrlTokenError::new_err(text),
            },
            Error::Callback(_) => CallbackError::new_err(text),
            Error::InvalidUrl {
                reason, callback, ..
            } => Python::attach(|py| {
                let reason = PyString::new(py, reason.as_str()).into_any();
                match callback {
                    None => with_attributes(
                        Ok(py.get_type::<InvalidUrlError>()),
                        text,
                        &[("reason", reason)],
                    ),
                    Some(callback) => {
                        let key = PyString::new(py, &callback.key).into_any();
                        let status = PyInt::new(py, callback.status.code()).into_any();
                        let is_final_save = PyBool::new(py, callback.status.is_final_save())
                            .to_owned()
                            .into_any();
                        with_attributes(
                            callback_url_error(py),
                            text,
                            &[
                                ("reason", reason),
                                ("key", key),
                                ("status", status),
                                ("is_final_save", is_final_save),
                            ],
                        )
                    }
                }
            }),
            Error::InvalidArgument(_) => Python::attach(|py| match invalid_argument_error(py) {
                Ok(ty) => PyErr::from_type(ty, text),
                Err(e) => e,
            }),
            Error::Docs {
                code,
                message,
                kind,
                http_status,
            } => Python::attach(|py| {
                let attrs = || -> PyResult<Vec<(&str, Bound<'_, PyAny>)>> {
                    Ok(vec![
                        ("code", code.into_pyobject(py)?.into_any()),
                        ("message", PyString::new(py, &message).into_any()),
                        ("kind", PyString::new(py, kind).into_any()),
                        ("http_status", http_status.into_pyobject(py)?.into_any()),
                    ])
                };
                match attrs() {
                    Ok(attrs) => with_attributes(Ok(py.get_type::<DocsError>()), text, &attrs),
                    Err(e) => e,
                }
            }),
            Error::Protocol(_) => ProtocolError::new_err(text),
        }
    }
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
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
    m.add("UrlTokenError", py.get_type::<UrlTokenError>())?;
    m.add("CallbackError", py.get_type::<CallbackError>())?;
    let invalid_url_error = py.get_type::<InvalidUrlError>();
    invalid_url_error.setattr("reason", "")?;
    m.add("InvalidUrlError", invalid_url_error)?;
    m.add("CallbackUrlError", callback_url_error(py)?)?;
    m.add("InvalidArgumentError", invalid_argument_error(py)?)?;
    m.add("ProtocolError", py.get_type::<ProtocolError>())?;
    let docs_error = py.get_type::<DocsError>();
    docs_error.setattr("code", 0)?;
    docs_error.setattr("message", "")?;
    docs_error.setattr("kind", "")?;
    docs_error.setattr("http_status", 502)?;
    m.add("DocsError", docs_error)?;
    Ok(())
}
