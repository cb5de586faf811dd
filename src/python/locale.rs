//! Locales: the editor's language and region and a blank document's language and paper size.

use pyo3::prelude::*;

use crate::locale;

/// A user's locale, from the language Plone negotiated for the request.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct Locale(locale::Locale);

#[pymethods]
impl Locale {
    /// `editorConfig.lang`: "de", "pt" (Brazil), "pt-PT", "zh" (simplified), "zh-TW"…
    #[getter]
    fn lang(&self) -> String {
        self.0.editor_lang()
    }

    /// `editorConfig.region` ("de-DE", "pt-BR"), None when no region is known.
    #[getter]
    fn region(&self) -> Option<String> {
        self.0.editor_region()
    }

    /// The language tag of a new document ("de-DE", or a bare language without a region).
    #[getter]
    fn tag(&self) -> String {
        self.0.tag()
    }

    /// "Letter" in the regions that use it (US, Canada, Mexico…), "A4" elsewhere.
    #[getter]
    fn paper(&self) -> &'static str {
        self.0.paper().as_str()
    }

    fn __repr__(&self) -> String {
        format!("<Locale {} {}>", self.0.tag(), self.0.paper().as_str())
    }
}

/// The locale of a language code as Plone or a browser spells it ("de", "pt-br", "zh_TW");
/// an empty or unusable one is en-US.
#[pyfunction]
#[pyo3(signature = (language=None))]
fn locale_for(language: Option<&str>) -> Locale {
    Locale(locale::Locale::parse(language.unwrap_or("")))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Locale>()?;
    m.add_function(wrap_pyfunction!(locale_for, m)?)?;
    Ok(())
}
