//! Links between spreadsheets: `document.referenceData`, the editor's requests for a linked
//! file, and the signed answer.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::json::{map_to_py, to_value};
use crate::references::{self, ReferenceSource};

/// What an editor's `onRequestReferenceData` / `onRequestReferenceSource` / `onRequestOpen`
/// asks for: the UID to look up (only when its instanceId is this site's), a relative path of
/// item ids, and whether it carried another system's reference data.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct ReferenceRequest(references::ReferenceRequest);

#[pymethods]
impl ReferenceRequest {
    #[getter]
    fn file_key(&self) -> Option<&str> {
        self.0.file_key.as_deref()
    }
    #[getter]
    fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }
    #[getter]
    fn foreign(&self) -> bool {
        self.0.foreign
    }
    /// Names nothing that could be looked up on this site.
    #[getter]
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn __repr__(&self) -> String {
        format!(
            "ReferenceRequest(file_key={:?}, path={:?}, foreign={})",
            self.0.file_key, self.0.path, self.0.foreign
        )
    }
}

/// This site's instanceId: `plone-` and a digest of the site's own secret.
#[pyfunction]
fn instance_id(site_secret: &str) -> PyResult<String> {
    Ok(references::instance_id(site_secret)?)
}

/// `document.referenceData` of the item `uid`: `{"fileKey": uid, "instanceId": …}`.
#[pyfunction]
fn reference_data<'py>(
    py: Python<'py>,
    site_secret: &str,
    uid: &str,
) -> PyResult<Bound<'py, PyDict>> {
    map_to_py(py, &references::reference_data(site_secret, uid)?)
}

/// Whether a file of this extension may be a link's source (a spreadsheet Docs opens).
#[pyfunction]
fn is_reference_source(file_type: &str) -> bool {
    references::is_reference_source(file_type)
}

/// Read the editor's `{referenceData, path, link}`; `site_url` is the address the page was
/// served from (a `link` under it names an item path). Raises InvalidArgumentError for wrong
/// types and oversized values.
#[pyfunction]
#[pyo3(signature = (data, site_secret, *, site_url=None))]
fn parse_reference_request(
    data: &Bound<'_, PyAny>,
    site_secret: &str,
    site_url: Option<&str>,
) -> PyResult<ReferenceRequest> {
    let value = to_value(data)?;
    Ok(ReferenceRequest(references::parse_reference_request(
        &value,
        site_secret,
        site_url,
    )?))
}

/// The argument of `setReferenceData` / `setReferenceSource`, with `token` signing all of it
/// when `secret` is given.
#[pyfunction]
#[pyo3(signature = (
    *, file_type, key, path, file_key, instance_id, url, secret=None, expires_in=None
))]
#[allow(clippy::too_many_arguments)]
fn reference_answer<'py>(
    py: Python<'py>,
    file_type: &str,
    key: &str,
    path: &str,
    file_key: &str,
    instance_id: &str,
    url: &str,
    secret: Option<&str>,
    expires_in: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let source = ReferenceSource {
        file_type,
        key,
        path,
        file_key,
        instance_id,
        url,
    };
    map_to_py(
        py,
        &references::reference_answer(&source, secret, expires_in)?,
    )
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ReferenceRequest>()?;
    m.add_function(wrap_pyfunction!(instance_id, m)?)?;
    m.add_function(wrap_pyfunction!(reference_data, m)?)?;
    m.add_function(wrap_pyfunction!(is_reference_source, m)?)?;
    m.add_function(wrap_pyfunction!(parse_reference_request, m)?)?;
    m.add_function(wrap_pyfunction!(reference_answer, m)?)?;
    Ok(())
}
