//! URL tokens: the short-lived tokens in the URLs Plone hands to Docs, and Docs' header token
//! when it fetches one.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::json::map_to_py;
use super::tokens::leeway;
use crate::url_tokens::{self, Purpose};

/// Sign a URL token with the site's own `secret` for `purpose` ("download", "callback",
/// "connection-check", "version", "changes" or "content"). The core decides the subject: `uid:key` for a
/// download (`key` the content key of the file it was issued for) and for a callback (`key` the
/// session's key), "site" for the connection check (`uid` empty, no key), `uid@n` for a
/// version's file or changes (`key` = the version number "n").
#[pyfunction]
#[pyo3(signature = (secret, purpose, uid, *, expires_in, key=None))]
fn sign_url_token(
    secret: &str,
    purpose: &str,
    uid: &str,
    expires_in: i64,
    key: Option<&str>,
) -> PyResult<String> {
    Ok(url_tokens::sign_url_token(
        secret,
        Purpose::parse(purpose)?,
        uid,
        key,
        expires_in,
    )?)
}

/// Verify a URL token for `purpose` and the subject of `uid` (and `key`); its claims. Raises
/// UrlTokenError (a TokenError) saying in a few words why it is refused.
#[pyfunction]
#[pyo3(signature = (token, secret, purpose, uid, *, key=None, leeway=0))]
fn verify_url_token<'py>(
    py: Python<'py>,
    token: Option<&str>,
    secret: &str,
    purpose: &str,
    uid: &str,
    key: Option<&str>,
    leeway: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let claims = url_tokens::verify_url_token(
        token,
        secret,
        Purpose::parse(purpose)?,
        uid,
        key,
        self::leeway(leeway)?,
    )?;
    map_to_py(py, &claims)
}

/// Check the token Docs sends in its header when it fetches a URL Plone gave it: it must verify
/// with the JWT `secret` and its payload's url must carry `url_token` as its `token` parameter.
/// With no secret (None or "") JWT is off and there is nothing to check. Raises TokenError
/// subclasses; UrlTokenError when the token was made for another URL.
#[pyfunction]
#[pyo3(signature = (header_value, secret, url_token, *, leeway=60))]
fn check_download_header(
    header_value: Option<&str>,
    secret: Option<&str>,
    url_token: &str,
    leeway: i64,
) -> PyResult<()> {
    Ok(url_tokens::check_download_header(
        header_value,
        secret,
        url_token,
        self::leeway(leeway)?,
    )?)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sign_url_token, m)?)?;
    m.add_function(wrap_pyfunction!(verify_url_token, m)?)?;
    m.add_function(wrap_pyfunction!(check_download_header, m)?)?;
    Ok(())
}
