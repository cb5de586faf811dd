//! Callbacks from Docs.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::json::map_to_py;
use super::tokens::leeway;
use crate::callback::{self, CallbackSettings};
use crate::urls::AllowedOrigins;

/// The callback statuses Docs sends (as ints on Callback.status).
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct CallbackStatus;

#[pymethods]
impl CallbackStatus {
    #[classattr]
    const EDITING: u8 = 1;
    #[classattr]
    const MUST_SAVE: u8 = 2;
    #[classattr]
    const CORRUPTED: u8 = 3;
    #[classattr]
    const CLOSED: u8 = 4;
    #[classattr]
    const MUST_FORCESAVE: u8 = 6;
    #[classattr]
    const CORRUPTED_FORCESAVE: u8 = 7;
}

/// A validated callback from Docs.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct Callback(callback::Callback);

#[pymethods]
impl Callback {
    /// 1, 2, 3, 4, 6 or 7 (see CallbackStatus).
    #[getter]
    fn status(&self) -> u8 {
        self.0.status.code()
    }
    #[getter]
    fn key(&self) -> &str {
        &self.0.key
    }
    /// The edited file (statuses 2, 3, 6, 7), on an allowed Docs origin.
    #[getter]
    fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// The changes archive (changes.zip), on an allowed Docs origin.
    #[getter]
    fn changesurl(&self) -> Option<&str> {
        self.0.changesurl.as_deref()
    }
    /// The form data of a submitted form (forcesavetype 3), on an allowed Docs origin.
    #[getter]
    fn formsdataurl(&self) -> Option<&str> {
        self.0.formsdataurl.as_deref()
    }
    /// Lowercase extension of the file at `url`.
    #[getter]
    fn filetype(&self) -> Option<&str> {
        self.0.filetype.as_deref()
    }
    /// {"serverVersion": ..., "changes": [...]}, or None.
    #[getter]
    fn history<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.0
            .history
            .as_ref()
            .map(|h| map_to_py(py, h))
            .transpose()
    }
    #[getter]
    fn users(&self) -> Vec<String> {
        self.0.users.clone()
    }
    /// [{"type": 0 left | 1 joined | 2 forcesave button, "userid": ...}, ...]
    #[getter]
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.0.actions.iter().map(|a| map_to_py(py, a)).collect()
    }
    /// 0 command, 1 Save button, 2 timer, 3 form submission; None outside statuses 6/7.
    #[getter]
    fn forcesavetype(&self) -> Option<i64> {
        self.0.forcesavetype
    }
    #[getter]
    fn userdata(&self) -> Option<&str> {
        self.0.userdata.as_deref()
    }
    #[getter]
    fn lastsave(&self) -> Option<&str> {
        self.0.lastsave.as_deref()
    }
    #[getter]
    fn notmodified(&self) -> bool {
        self.0.notmodified
    }
    /// Status 2 or 3: the session ended; a refused save is final (Docs will not call again).
    #[getter]
    fn is_final_save(&self) -> bool {
        self.0.status.is_final_save()
    }
    /// Status 6 or 7: a force save while editing goes on.
    #[getter]
    fn is_forcesave(&self) -> bool {
        self.0.status.is_forcesave()
    }
    /// Status 2 or 6: the callback carries the file to store at `url`.
    #[getter]
    fn carries_file(&self) -> bool {
        self.0.status.carries_file()
    }
    /// Where the data came from: "body" token, "header" token, or "none" (JWT off).
    #[getter]
    fn token_source(&self) -> &'static str {
        self.0.token_source.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Callback status={} key={:?} from {}>",
            self.0.status.code(),
            self.0.key,
            self.0.token_source.as_str()
        )
    }
}

/// Parse and validate a callback request.
///
/// With a secret, only verified token data is read: the body token first (Docs trims changesurl
/// and history from the header token and the plain fields of large callbacks), else the header
/// token's payload. Without one (None or ""), the plain fields are read. Raises TokenError
/// subclasses for token problems, CallbackUrlError (a CallbackError and an InvalidUrlError) for a
/// url/changesurl/formsdataurl that is not http(s) on one of `allowed_origins` (an empty list
/// allows none; its `.key` and `.status` are the callback's), and CallbackError for anything
/// else; the message says why.
#[pyfunction]
#[pyo3(
    signature = (body, header_value, *, secret, allowed_origins, leeway=60, max_bytes=1048576),
    text_signature = "(body, header_value, *, secret, allowed_origins, leeway=60, max_bytes=1048576)"
)]
fn parse_callback(
    body: &[u8],
    header_value: Option<&str>,
    secret: Option<&str>,
    allowed_origins: Vec<String>,
    leeway: i64,
    max_bytes: usize,
) -> PyResult<Callback> {
    let settings = CallbackSettings {
        secret,
        leeway: self::leeway(leeway)?,
        allowed_origins: AllowedOrigins::parse(&allowed_origins)?,
        max_bytes,
    };
    Ok(Callback(callback::parse_callback(
        body,
        header_value,
        &settings,
    )?))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CallbackStatus>()?;
    m.add_class::<Callback>()?;
    m.add_function(wrap_pyfunction!(parse_callback, m)?)?;
    Ok(())
}
