//! A request to Docs, built by the core and sent by the caller.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::request::RequestSigning;

/// A request to send to Docs (the caller does the network I/O).
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct HttpRequest(pub(super) crate::request::HttpRequest);

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

pub(super) fn request_signing<'a>(
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

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<HttpRequest>()?;
    Ok(())
}
