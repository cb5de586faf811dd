//! URLs: the allow-list of Docs origins.

use pyo3::prelude::*;

use crate::urls::AllowedOrigins;

/// Check that `url` is an absolute http(s) URL (no user info) on one of `allowed_origins`
/// (scheme + host + port; an empty list allows none). Raises InvalidUrlError saying why.
#[pyfunction]
#[pyo3(signature = (url, allowed_origins), text_signature = "(url, allowed_origins)")]
fn check_url(url: &str, allowed_origins: Vec<String>) -> PyResult<()> {
    Ok(AllowedOrigins::parse(&allowed_origins)?.check(url)?)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_url, m)?)?;
    Ok(())
}
