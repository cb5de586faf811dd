//! The conversion API.

use pyo3::prelude::*;

use super::json::opt_object;
use super::request::{request_signing, HttpRequest};
use crate::conversion::{self, ConversionInput};

/// Build a conversion request: POST <docs_url>/converter?shardkey=<key>, JSON, signed in body and
/// header when `secret` is given. Repeat the identical request (same key) to poll an async one.
#[pyfunction]
#[pyo3(signature = (
    docs_url, *, key, filetype, outputtype, url, title=None, async_=true, region=None,
    password=None, thumbnail=None, secret=None, header="Authorization", expires_in=300, shardkey=true
))]
#[allow(clippy::too_many_arguments)]
fn conversion_request(
    docs_url: &str,
    key: String,
    filetype: String,
    outputtype: String,
    url: String,
    title: Option<String>,
    async_: bool,
    region: Option<String>,
    password: Option<String>,
    thumbnail: Option<&Bound<'_, PyAny>>,
    secret: Option<&str>,
    header: &str,
    expires_in: i64,
    shardkey: bool,
) -> PyResult<HttpRequest> {
    let input = ConversionInput {
        key,
        filetype,
        outputtype,
        url,
        title,
        async_,
        region,
        password,
        thumbnail: opt_object(thumbnail, "thumbnail")?,
    };
    let signing = request_signing(secret, header, expires_in);
    Ok(HttpRequest(conversion::conversion_request(
        docs_url, &input, signing, shardkey,
    )?))
}

/// A conversion reply: poll again while end_convert is False; file_url is set once it is True.
#[pyclass(module = "onlyoffice_plone._core", frozen, get_all)]
pub struct ConversionResult {
    end_convert: bool,
    percent: i64,
    file_url: Option<String>,
    file_type: Option<String>,
}

#[pymethods]
impl ConversionResult {
    fn __repr__(&self) -> String {
        format!(
            "<ConversionResult end_convert={} percent={} file_url={:?}>",
            self.end_convert, self.percent, self.file_url
        )
    }
}

/// Parse a conversion reply, JSON or legacy XML. Raises DocsError for an error code and
/// ProtocolError (a CoreError) for anything unreadable.
#[pyfunction]
#[pyo3(signature = (body, content_type=None))]
fn parse_conversion_response(
    body: &[u8],
    content_type: Option<&str>,
) -> PyResult<ConversionResult> {
    let r = conversion::parse_conversion_response(body, content_type)?;
    Ok(ConversionResult {
        end_convert: r.end_convert,
        percent: r.percent,
        file_url: r.file_url,
        file_type: r.file_type,
    })
}

/// The plain-words meaning of a conversion error code (-1 ... -10).
#[pyfunction]
fn conversion_error_message(code: i64) -> &'static str {
    conversion::conversion_error_message(code)
}

/// Docs' job key for `document_key` converted to `outputtype`: "conv-" and 40 hex digits of
/// sha256(f"{document_key}\n{outputtype}"); the same conversion is the same job.
#[pyfunction]
fn conversion_key(document_key: &str, outputtype: &str) -> String {
    conversion::conversion_key(document_key, outputtype)
}

/// (kind, http_status) for a conversion error code: what it means for the caller's reply, e.g.
/// -2 → ("Timeout", 504), -5 → ("PasswordProtected", 422).
#[pyfunction]
fn conversion_failure(code: i64) -> (&'static str, u16) {
    conversion::conversion_failure(code)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ConversionResult>()?;
    m.add_function(wrap_pyfunction!(conversion_request, m)?)?;
    m.add_function(wrap_pyfunction!(parse_conversion_response, m)?)?;
    m.add_function(wrap_pyfunction!(conversion_error_message, m)?)?;
    m.add_function(wrap_pyfunction!(conversion_key, m)?)?;
    m.add_function(wrap_pyfunction!(conversion_failure, m)?)?;
    Ok(())
}
