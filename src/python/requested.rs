//! Content the editor asks its host for (images, documents, spreadsheets): what Docs accepts.

use pyo3::prelude::*;

use crate::requested::RequestKind;

/// The `fileType` to hand a file with for `kind` ("image", "document", "spreadsheet"), or None
/// when Docs does not take it for that kind. Raises InvalidArgumentError for another kind.
#[pyfunction]
#[pyo3(signature = (kind, filename=None, mime_type=None))]
fn requested_file_type(
    kind: &str,
    filename: Option<&str>,
    mime_type: Option<&str>,
) -> PyResult<Option<&'static str>> {
    Ok(RequestKind::parse(kind)?.file_type(filename, mime_type))
}

/// The values of `c` the editor sends with a request of `kind` and expects in the answer.
#[pyfunction]
fn requested_commands(kind: &str) -> PyResult<Vec<&'static str>> {
    Ok(RequestKind::parse(kind)?.commands().to_vec())
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(requested_file_type, m)?)?;
    m.add_function(wrap_pyfunction!(requested_commands, m)?)?;
    Ok(())
}
