//! Document keys.

use pyo3::prelude::*;

use crate::keys;

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

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(document_key, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid_key, m)?)?;
    Ok(())
}
