//! JSON Web Tokens: signing, verifying, and reading the verified data of a request from Docs.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use super::claims::{write_json, PyBuilder};
use super::json::{map_to_py, to_object};
use crate::error::Error;
use crate::tokens::{self, Verifier};

/// Sign claims into a flat JWT; adds `iat` (unless given) and `exp` when `expires_in` is set.
#[pyfunction]
#[pyo3(signature = (claims, secret, *, algorithm="HS256", expires_in=None))]
fn sign_token(
    claims: &Bound<'_, PyAny>,
    secret: &str,
    algorithm: &str,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let alg = tokens::parse_algorithm(algorithm)?;
    if let Ok(dict) = claims.cast::<PyDict>() {
        return sign_py_dict(dict, secret, alg, expires_in);
    }
    let claims = to_object(claims, "claims")?;
    Ok(tokens::sign_token(claims, secret, alg, expires_in)?)
}

/// Sign a header token as Docs expects it: `{"payload": payload, "iat": ..., "exp": ...}`.
#[pyfunction]
#[pyo3(signature = (payload, secret, *, algorithm="HS256", expires_in=None))]
fn sign_header_token(
    payload: &Bound<'_, PyAny>,
    secret: &str,
    algorithm: &str,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let alg = tokens::parse_algorithm(algorithm)?;
    let payload = to_object(payload, "payload")?;
    Ok(tokens::sign_header_token(
        Value::Object(payload),
        secret,
        alg,
        expires_in,
    )?)
}

/// Verify a JWT (signature, algorithm, and exp/nbf when present) and return its claims.
#[pyfunction]
#[pyo3(
    signature = (token, secret, *, leeway=60, algorithms=None),
    text_signature = "(token, secret, *, leeway=60, algorithms=('HS256', 'HS384', 'HS512'))"
)]
fn verify_token<'py>(
    py: Python<'py>,
    token: &str,
    secret: &str,
    leeway: i64,
    algorithms: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let named;
    let algorithms: &[tokens::Algorithm] = match algorithms {
        Some(names) => {
            named = self::algorithms(&names)?;
            &named
        }
        None => &tokens::HMAC_ALGORITHMS,
    };
    let verifier = Verifier {
        secret,
        leeway: self::leeway(leeway)?,
        algorithms,
    };
    verifier
        .verify_into(token, &mut PyBuilder::new(py))?
        .cast_into::<PyDict>()
        .map_err(|_| PyTypeError::new_err("the claims are not a dict"))
}

/// The verified data of a request from Docs: the body "token" first, else the header token
/// ("Bearer " prefix optional) with its "payload" unwrapped. MissingTokenError when neither.
#[pyfunction]
#[pyo3(signature = (body, header_value, secret, *, leeway=60))]
fn incoming_payload<'py>(
    py: Python<'py>,
    body: Option<&Bound<'py, PyAny>>,
    header_value: Option<&str>,
    secret: &str,
    leeway: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let body = body.map(|b| to_object(b, "body")).transpose()?;
    let verifier = Verifier::new(secret).with_leeway(self::leeway(leeway)?);
    let (data, _) = tokens::incoming_payload(body.as_ref(), header_value, &verifier)?;
    map_to_py(py, &data)
}

/// Sign a dict as JWT claims, appending `iat` (unless the dict has one) and `exp` (when
/// `expires_in` is given, replacing the dict's): written straight to JSON, signed as written.
fn sign_py_dict(
    claims: &Bound<'_, PyDict>,
    secret: &str,
    alg: tokens::Algorithm,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let now = tokens::now();
    let exp = expires_in.map(|e| now.saturating_add(e));
    let iat = (!claims.contains(pyo3::intern!(claims.py(), "iat"))?).then_some(now);
    let skip: &[&str] = if exp.is_some() { &["exp"] } else { &[] };
    let mut json = Vec::with_capacity(2048);
    write_json(claims.as_any(), &mut json, skip)?;
    json.pop(); // the closing brace
    let mut append = |name: &str, value: Option<i64>| {
        if let Some(value) = value {
            if json.len() > 1 {
                json.push(b',');
            }
            json.extend_from_slice(format!("\"{name}\":{value}").as_bytes());
        }
    };
    append("iat", iat);
    append("exp", exp);
    json.push(b'}');
    Ok(tokens::sign_json(&json, secret, alg)?)
}

fn algorithms(names: &[String]) -> PyResult<Vec<tokens::Algorithm>> {
    Ok(names
        .iter()
        .map(|n| tokens::parse_algorithm(n))
        .collect::<Result<_, _>>()?)
}

pub(super) fn leeway(seconds: i64) -> PyResult<u64> {
    u64::try_from(seconds).map_err(|_| Error::argument("leeway must not be negative").into())
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sign_token, m)?)?;
    m.add_function(wrap_pyfunction!(sign_header_token, m)?)?;
    m.add_function(wrap_pyfunction!(verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(incoming_payload, m)?)?;
    Ok(())
}
