//! JSON Web Tokens: signing, verifying, and reading the verified data of a request from Docs.

use std::cell::RefCell;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;
use serde_json::Value;

use super::json::{json_object_to_py, map_to_py, to_object, PyJson};
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
        return sign_py_claims(dict.as_any(), false, secret, alg, expires_in);
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
    signature = (token, secret, *, leeway=60, algorithms=vec!["HS256".to_owned(), "HS384".to_owned(), "HS512".to_owned()]),
    text_signature = "(token, secret, *, leeway=60, algorithms=('HS256', 'HS384', 'HS512'))"
)]
fn verify_token<'py>(
    py: Python<'py>,
    token: &str,
    secret: &str,
    leeway: i64,
    algorithms: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let algs = self::algorithms(&algorithms)?;
    let verifier = Verifier {
        secret,
        leeway: self::leeway(leeway)?,
        algorithms: &algs,
    };
    json_object_to_py(py, &verifier.verify_claims_json(token)?)
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

/// Sign a Python mapping as JWT claims, appending `iat` (unless the mapping has one) and `exp`
/// (when `expires_in` is given, replacing the mapping's).
fn sign_py_claims(
    claims: &Bound<'_, PyAny>,
    wrap_in_payload: bool,
    secret: &str,
    alg: jsonwebtoken::Algorithm,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let error = RefCell::new(None);
    let now = tokens::now();
    let exp = expires_in.map(|e| now.saturating_add(e));
    let result = if wrap_in_payload {
        let payload = PyJson {
            obj: claims,
            error: &error,
            skip: &[],
            depth: 1,
        };
        #[derive(Serialize)]
        struct Wrapped<'a, 'py> {
            payload: PyJson<'a, 'py>,
        }
        tokens::sign_timed(&Wrapped { payload }, secret, alg, Some(now), exp)
    } else {
        let dict = claims
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("claims must be a dict"))?;
        let has_iat = dict.contains("iat")?;
        let skip: &[&str] = if exp.is_some() { &["exp"] } else { &[] };
        let body = PyJson {
            obj: claims,
            error: &error,
            skip,
            depth: 0,
        };
        tokens::sign_timed(&body, secret, alg, (!has_iat).then_some(now), exp)
    };
    if let Some(err) = error.into_inner() {
        return Err(err);
    }
    Ok(result?)
}

fn algorithms(names: &[String]) -> PyResult<Vec<jsonwebtoken::Algorithm>> {
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
