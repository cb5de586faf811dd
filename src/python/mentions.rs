//! Mentions: the `onRequestSendNotify` payload and the action link, checked by the core.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

use super::json::{to_py, to_value};
use crate::mentions;

/// The canonical action link `{"action": {"type", "data"}}` of `value` (a mapping, or its JSON
/// text from a URL); raises InvalidArgumentError saying why it is refused.
#[pyfunction]
fn action_link<'py>(py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let link = match value.cast::<PyString>() {
        Ok(text) => mentions::action_link_text(text.to_str()?)?,
        Err(_) => mentions::action_link(&to_value(value)?)?,
    };
    to_py(py, &link)
}

/// Check an `onRequestSendNotify` payload: a dict with `emails` (distinct addresses, at most
/// 20), `message` (control characters removed, cut to 1000 characters), `truncated` and
/// `actionLink` (canonical); raises InvalidArgumentError saying why it is refused.
#[pyfunction]
fn notify_request<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let notify = mentions::notify_request(&to_value(payload)?)?;
    let out = PyDict::new(py);
    let emails: Vec<Value> = notify.emails.into_iter().map(Value::String).collect();
    out.set_item("emails", to_py(py, &Value::Array(emails))?)?;
    out.set_item("message", notify.message)?;
    out.set_item("truncated", notify.truncated)?;
    out.set_item("actionLink", to_py(py, &notify.action_link)?)?;
    Ok(out)
}

/// Is `address` shaped like an e-mail address?
#[pyfunction]
fn is_email(address: &str) -> bool {
    mentions::is_email(address)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(action_link, m)?)?;
    m.add_function(wrap_pyfunction!(notify_request, m)?)?;
    m.add_function(wrap_pyfunction!(is_email, m)?)?;
    Ok(())
}
