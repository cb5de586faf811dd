//! The Python exception hierarchy, and the one conversion of the core's `Error` into it.

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

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
    m.add("CallbackError", py.get_type::<CallbackError>())?;
    m.add("InvalidUrlError", py.get_type::<InvalidUrlError>())?;
    m.add("CallbackUrlError", callback_url_error(py)?)?;
    m.add("InvalidArgumentError", invalid_argument_error(py)?)?;
    m.add("ProtocolError", py.get_type::<ProtocolError>())?;
    let docs_error = py.get_type::<DocsError>();
    docs_error.setattr("code", 0)?;
    docs_error.setattr("message", "")?;
    m.add("DocsError", docs_error)?;
    Ok(())
}
