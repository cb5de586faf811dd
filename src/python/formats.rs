//! Formats: the format table and the classification of one file.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::error::Error;
use crate::formats::{self, DocumentType};

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

/// The extension of a new blank file of `document_type` (word → docx, cell → xlsx, slide → pptx,
/// pdf → pdf); None for "diagram". Raises InvalidArgumentError for an unknown document type.
#[pyfunction]
fn new_file_extension(document_type: &str) -> PyResult<Option<&'static str>> {
    let document_type = DocumentType::parse(document_type).ok_or_else(|| {
        Error::argument(format!(
            "document type {document_type:?} is not word, cell, slide, pdf or diagram"
        ))
    })?;
    Ok(formats::new_file_extension(document_type))
}

/// The extension of a file of `outputtype`: lowercase, pdfa → pdf, jpeg → jpg.
#[pyfunction]
fn output_extension(outputtype: &str) -> String {
    formats::output_extension(outputtype)
}

/// The name of a result file of `filetype` made from `filename` ("document" when empty): the
/// name unchanged when its extension already says the filetype, else the stem with the
/// filetype's extension (see output_extension). An empty filetype keeps the name.
#[pyfunction]
fn result_filename(filename: &str, filetype: &str) -> String {
    formats::result_filename(filename, filetype)
}

/// `name`, or the first of "stem (2).ext", "stem (3).ext", … that is none of `taken` (letter
/// case aside): the number before `.extension` when `name` ends with it, else at the end.
#[pyfunction]
fn free_name(name: &str, extension: &str, taken: Vec<String>) -> String {
    formats::free_name(name, extension, &taken)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Format>()?;
    m.add_class::<Classification>()?;
    m.add_function(wrap_pyfunction!(all_formats, m)?)?;
    m.add_function(wrap_pyfunction!(lossy_edit_extensions, m)?)?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_function(wrap_pyfunction!(new_file_extension, m)?)?;
    m.add_function(wrap_pyfunction!(output_extension, m)?)?;
    m.add_function(wrap_pyfunction!(result_filename, m)?)?;
    m.add_function(wrap_pyfunction!(free_name, m)?)?;
    Ok(())
}
