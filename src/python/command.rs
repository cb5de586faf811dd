//! The command service.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::json::{map_to_py, opt_object};
use super::request::{request_signing, HttpRequest};
use crate::command::{self, Command, CommandInput};

/// Build a command request: POST <docs_url>/command (with ?shardkey=<key> when there is a key).
/// Raises InvalidArgumentError for an unknown command or missing/extra arguments.
#[pyfunction]
#[pyo3(signature = (
    docs_url, command, *, key=None, userdata=None, users=None, meta=None, secret=None,
    header="Authorization", expires_in=300, shardkey=true
))]
#[allow(clippy::too_many_arguments)]
fn command_request(
    docs_url: &str,
    command: &str,
    key: Option<String>,
    userdata: Option<String>,
    users: Option<Vec<String>>,
    meta: Option<&Bound<'_, PyAny>>,
    secret: Option<&str>,
    header: &str,
    expires_in: i64,
    shardkey: bool,
) -> PyResult<HttpRequest> {
    let command = Command::parse(command)?;
    let input = CommandInput {
        key,
        userdata,
        users,
        meta: opt_object(meta, "meta")?,
    };
    let signing = request_signing(secret, header, expires_in);
    Ok(HttpRequest(command::command_request(
        docs_url, command, &input, signing, shardkey,
    )?))
}

/// A command reply; `raw` is the whole reply.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct CommandResult(command::CommandResult);

#[pymethods]
impl CommandResult {
    /// 0, or the code that answers the command: 4 for forcesave (nothing to save), 1 for info (no
    /// editing session with that key).
    #[getter]
    fn error(&self) -> i64 {
        self.0.error
    }
    #[getter]
    fn key(&self) -> Option<&str> {
        self.0.key.as_deref()
    }
    /// The Docs version (command "version").
    #[getter]
    fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }
    /// The forgotten file (command "getForgotten").
    #[getter]
    fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Keys of forgotten files (command "getForgottenList").
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.0.keys.clone()
    }
    #[getter]
    fn users(&self) -> Vec<String> {
        self.0.users.clone()
    }
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.0.raw)
    }

    fn __repr__(&self) -> String {
        format!(
            "<CommandResult error={} key={:?}>",
            self.0.error, self.0.key
        )
    }
}

/// Parse a command reply. Raises DocsError for a nonzero error, except forcesave error 4 (not
/// modified) and info error 1 (no such session), which are returned in CommandResult.error.
#[pyfunction]
fn parse_command_response(command: &str, body: &[u8]) -> PyResult<CommandResult> {
    let command = Command::parse(command)?;
    Ok(CommandResult(command::parse_command_response(
        command, body,
    )?))
}

/// The plain-words meaning of a command service error code (0 ... 7).
#[pyfunction]
fn command_error_message(code: i64) -> &'static str {
    command::command_error_message(code)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CommandResult>()?;
    m.add_function(wrap_pyfunction!(command_request, m)?)?;
    m.add_function(wrap_pyfunction!(parse_command_response, m)?)?;
    m.add_function(wrap_pyfunction!(command_error_message, m)?)?;
    Ok(())
}
