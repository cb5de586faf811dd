//! URLs: origins, the rule for configured base addresses, the allow-list of Docs origins, and the
//! addresses of Docs and Plone as each side reaches the other.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::addresses;
use crate::urls::{self, AllowedOrigins};

/// Check that `url` is an absolute http(s) URL (no user info) on one of `allowed_origins`
/// (scheme + host + port; an empty list allows none). Raises InvalidUrlError saying why.
#[pyfunction]
#[pyo3(signature = (url, allowed_origins), text_signature = "(url, allowed_origins)")]
fn check_url(url: &str, allowed_origins: Vec<String>) -> PyResult<()> {
    Ok(AllowedOrigins::parse(&allowed_origins)?.check(url)?)
}

/// `scheme://host:port` of an absolute http(s) URL: lowercase, the default port explicit, an IPv6
/// host in brackets. Raises InvalidUrlError for anything else.
#[pyfunction]
fn origin(url: &str) -> PyResult<String> {
    Ok(urls::origin(url)?)
}

/// Check a configured base address (Docs' or Plone's): http(s) with a host, no user or password,
/// no query or fragment. Raises InvalidUrlError whose `.reason` is "scheme", "credentials" or
/// "query".
#[pyfunction]
fn check_base_url(url: &str) -> PyResult<()> {
    Ok(urls::check_base_url(url)?)
}

/// The addresses of Docs and Plone as each side reaches the other ("" when unset).
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct Addresses(addresses::Addresses);

#[pymethods]
impl Addresses {
    #[new]
    #[pyo3(signature = (docs_url, docs_internal_url="", plone_internal_url=""))]
    fn new(docs_url: &str, docs_internal_url: &str, plone_internal_url: &str) -> Self {
        Addresses(addresses::Addresses::new(
            docs_url,
            docs_internal_url,
            plone_internal_url,
        ))
    }

    /// Docs as browsers reach it, ending in "/" (or "" when unset).
    #[getter]
    fn public_docs_url(&self) -> String {
        self.0.public_docs_url()
    }

    /// Docs as Plone reaches it, ending in "/" (or "" when unset).
    #[getter]
    fn server_docs_url(&self) -> String {
        self.0.server_docs_url()
    }

    /// The origins (scheme://host:port) Plone accepts Docs URLs from, without duplicates.
    #[getter]
    fn docs_origins<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.docs_origins())
    }

    /// A URL Docs handed out, on the address Plone fetches it from (public → internal), checked
    /// to be on a Docs origin. Raises InvalidUrlError saying why.
    fn docs_url_for_plone(&self, url: &str) -> PyResult<String> {
        Ok(self.0.docs_url_for_plone(url)?)
    }

    /// A Plone URL (under `portal_url`) on the address Docs reaches Plone at.
    fn url_for_docs(&self, url: &str, portal_url: &str) -> String {
        self.0.url_for_docs(url, portal_url)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Addresses docs_url={:?} docs_internal_url={:?} plone_internal_url={:?}>",
            self.0.docs_url, self.0.docs_internal_url, self.0.plone_internal_url
        )
    }
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Addresses>()?;
    m.add_function(wrap_pyfunction!(check_url, m)?)?;
    m.add_function(wrap_pyfunction!(origin, m)?)?;
    m.add_function(wrap_pyfunction!(check_base_url, m)?)?;
    Ok(())
}
