//! JSON Web Tokens between Plone, the browser and Docs (HS256/HS384/HS512).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::base64url;
use crate::error::{Error, Result, TokenErrorKind};
use crate::json_read::{self, Build, ReadError, Scalar, TimeClaims, ValueBuilder};
pub use crate::jws::Algorithm;

/// The algorithms Docs signs and accepts.
pub const HMAC_ALGORITHMS: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

/// Docs' own clock tolerance, and our default.
pub const DEFAULT_LEEWAY: u64 = 60;

/// Leeways above a year are a configuration mistake, not a tolerance.
const MAX_LEEWAY: u64 = 365 * 24 * 3600;

/// Parse an algorithm name for signing or for the accepted list; only HMAC algorithms exist here.
pub fn parse_algorithm(name: &str) -> Result<Algorithm> {
    match name {
        "HS256" => Ok(Algorithm::HS256),
        "HS384" => Ok(Algorithm::HS384),
        "HS512" => Ok(Algorithm::HS512),
        other => Err(Error::argument(format!(
            "unsupported JWT algorithm {other:?}: use HS256, HS384 or HS512"
        ))),
    }
}

fn check_secret(secret: &str) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::argument("the JWT secret must not be empty"));
    }
    Ok(())
}

/// Current Unix time in seconds.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Sign any serializable claims as they are.
pub fn sign<T: Serialize>(claims: &T, secret: &str, alg: Algorithm) -> Result<String> {
    check_secret(secret)?;
    sign_json(&serde_json::to_vec(claims)?, secret, alg)
}

/// Sign claims already serialized as a JSON object: the JWS compact form
/// `base64url(header).base64url(claims).base64url(signature)`.
pub fn sign_json(claims_json: &[u8], secret: &str, alg: Algorithm) -> Result<String> {
    check_secret(secret)?;
    Ok(crate::jws::sign(claims_json, secret.as_bytes(), alg))
}

/// Claims (any serializable map) followed by `iat` and `exp` members.
#[derive(Serialize)]
struct Timed<'a, T: Serialize> {
    #[serde(flatten)]
    claims: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
}

/// Sign claims that serialize as a JSON object, appending `iat` and `exp` when given. The caller
/// makes sure the claims do not carry the members it appends.
pub fn sign_timed<T: Serialize>(
    claims: &T,
    secret: &str,
    alg: Algorithm,
    iat: Option<i64>,
    exp: Option<i64>,
) -> Result<String> {
    sign(&Timed { claims, iat, exp }, secret, alg)
}

/// Sign a flat (body) token: the claims plus `iat` (unless given) and `exp = iat + expires_in`.
pub fn sign_token(
    mut claims: Map<String, Value>,
    secret: &str,
    alg: Algorithm,
    expires_in: Option<i64>,
) -> Result<String> {
    let now = now();
    claims.entry("iat").or_insert_with(|| now.into());
    if let Some(seconds) = expires_in {
        claims.insert("exp".into(), now.saturating_add(seconds).into());
    }
    sign(&claims, secret, alg)
}

/// Sign a header token the way Docs expects it: `{"payload": payload, "iat": …, "exp": …}`.
pub fn sign_header_token(
    payload: Value,
    secret: &str,
    alg: Algorithm,
    expires_in: Option<i64>,
) -> Result<String> {
    let mut claims = Map::with_capacity(3);
    claims.insert("payload".into(), payload);
    sign_token(claims, secret, alg, expires_in)
}

/// The settings to verify a token with.
#[derive(Debug, Clone)]
pub struct Verifier<'a> {
    pub secret: &'a str,
    pub leeway: u64,
    pub algorithms: &'a [Algorithm],
}

impl<'a> Verifier<'a> {
    pub fn new(secret: &'a str) -> Self {
        Verifier {
            secret,
            leeway: DEFAULT_LEEWAY,
            algorithms: &HMAC_ALGORITHMS,
        }
    }

    pub fn with_leeway(mut self, leeway: u64) -> Self {
        self.leeway = leeway;
        self
    }

    /// Verify signature, algorithm, `exp` and `nbf` (each only when present), and return the claims.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>> {
        match self.verify_into(token, &mut ValueBuilder)? {
            Value::Object(map) => Ok(map),
            _ => Err(not_object()),
        }
    }

    /// Verify a token like [`Verifier::verify`], reading its claims (an object) with `builder`
    /// in one pass over the JSON, with no intermediate values.
    pub fn verify_into<B: Build>(
        &self,
        token: &str,
        builder: &mut B,
    ) -> std::result::Result<B::Value, B::Error>
    where
        B::Error: From<Error>,
    {
        let json = self.verified_claims(token)?;
        let (claims, times) = match json_read::read_object(&json, builder) {
            Ok(Some(read)) => read,
            Ok(None) | Err(ReadError::Syntax(_)) => return Err(not_object().into()),
            Err(ReadError::Build(err)) => return Err(err),
        };
        self.check_times(times)?;
        Ok(claims)
    }

    /// Check everything but the claims themselves and return them, decoded.
    fn verified_claims(&self, token: &str) -> Result<Vec<u8>> {
        check_secret(self.secret)?;
        if self.leeway > MAX_LEEWAY {
            return Err(Error::argument(format!(
                "leeway {} s is more than a year",
                self.leeway
            )));
        }
        if self.algorithms.is_empty() {
            return Err(Error::argument("no accepted JWT algorithm given"));
        }
        let token = token.trim();
        if token.is_empty() {
            return Err(Error::token(TokenErrorKind::Missing, "the token is empty"));
        }
        // The header ends at the first dot, the signature starts after the last: the claims (most
        // of the token) are not searched for dots. They are decoded first: a claims part with a
        // dot never decodes (a dot is not base64url), so a token of more than three parts is
        // still refused as such before anything else is checked.
        let bytes = token.as_bytes();
        let three_parts = || malformed("malformed token: a JWT has three dot-separated parts");
        let (Some(first), Some(last)) = (
            bytes.iter().position(|&b| b == b'.'),
            bytes.iter().rposition(|&b| b == b'.'),
        ) else {
            return Err(three_parts());
        };
        if first == last {
            return Err(three_parts());
        }
        let (header, claims, signature) =
            (&token[..first], &token[first + 1..last], &token[last + 1..]);
        let decoded = base64url::decode(claims.as_bytes());
        if decoded.is_none() && claims.as_bytes().contains(&b'.') {
            return Err(three_parts());
        }
        let alg = self.algorithm_of(header)?;
        let message = &token[..last];
        let valid = crate::jws::verify(message.as_bytes(), signature, self.secret.as_bytes(), alg)
            .ok_or_else(|| malformed("malformed token: the signature is not base64url"))?;
        if !valid {
            return Err(Error::token(
                TokenErrorKind::InvalidSignature,
                "token signature does not match the secret",
            ));
        }
        decoded.ok_or_else(|| malformed("malformed token: the claims are not base64url"))
    }

    /// Read the JOSE header: `alg: none`, non-HMAC and unlisted algorithms are refused here.
    fn algorithm_of(&self, header: &str) -> Result<Algorithm> {
        #[derive(serde::Deserialize)]
        struct Jose<'a> {
            #[serde(borrow)]
            alg: Option<std::borrow::Cow<'a, str>>,
        }
        let bytes = base64url::decode(header.as_bytes())
            .ok_or_else(|| malformed("malformed token: the header is not base64url"))?;
        let jose: Jose<'_> = serde_json::from_slice(&bytes)
            .map_err(|_| malformed("malformed token: the header is not a JSON object"))?;
        let Some(alg) = jose.alg else {
            return Err(Error::token(
                TokenErrorKind::InvalidAlgorithm,
                "token header names no algorithm",
            ));
        };
        self.algorithms
            .iter()
            .copied()
            .find(|a| a.name() == alg)
            .ok_or_else(|| {
                Error::token(
                    TokenErrorKind::InvalidAlgorithm,
                    format!("token algorithm {alg:?} is not accepted"),
                )
            })
    }

    /// `exp` and `nbf`, when present and not null, must be integers (NumericDate seconds) and
    /// current; duplicates of them are refused.
    fn check_times(&self, times: TimeClaims) -> Result<()> {
        let read = |name: &str, value: Scalar| -> Result<Option<i128>> {
            match value {
                Scalar::Absent | Scalar::Null => Ok(None),
                Scalar::Number(json_read::Number::U64(n)) => Ok(Some(i128::from(n))),
                Scalar::Number(json_read::Number::I64(n)) => Ok(Some(i128::from(n))),
                Scalar::Duplicate => Err(not_object()),
                Scalar::Number(_) | Scalar::Other => Err(malformed(&format!(
                    "token claim {name:?} is not an integer"
                ))),
            }
        };
        let now = i128::from(now());
        let leeway = i128::from(self.leeway);
        if let Some(exp) = read("exp", times.exp)? {
            if exp < now - leeway {
                return Err(Error::token(
                    TokenErrorKind::Expired,
                    "token has expired (exp is in the past)",
                ));
            }
        }
        if let Some(nbf) = read("nbf", times.nbf)? {
            if nbf > now + leeway {
                return Err(Error::token(
                    TokenErrorKind::Immature,
                    "token is not valid yet (nbf is in the future)",
                ));
            }
        }
        Ok(())
    }
}

fn not_object() -> Error {
    malformed("malformed token: the claims are not a JSON object")
}

fn malformed(why: &str) -> Error {
    Error::token(TokenErrorKind::Malformed, why.to_owned())
}

/// Verify a token with the default algorithms.
pub fn verify_token(token: &str, secret: &str, leeway: u64) -> Result<Map<String, Value>> {
    Verifier::new(secret).with_leeway(leeway).verify(token)
}

/// Where the data of an incoming request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Body,
    Header,
    None,
}

impl TokenSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenSource::Body => "body",
            TokenSource::Header => "header",
            TokenSource::None => "none",
        }
    }
}

/// Strip the `Bearer ` prefix (any case) of an authorization header value.
pub fn strip_bearer(header_value: &str) -> &str {
    let value = header_value.trim();
    match value.get(..6) {
        Some(prefix)
            if prefix.eq_ignore_ascii_case("bearer")
                && value[6..].chars().next().is_none_or(char::is_whitespace) =>
        {
            value[6..].trim_start()
        }
        _ => value,
    }
}

/// The verified data of a request from Docs: the body `token` when there is one, else the header
/// token (its `payload` object unwrapped). `MissingToken` when neither is present.
pub fn incoming_payload(
    body: Option<&Map<String, Value>>,
    header_value: Option<&str>,
    verifier: &Verifier<'_>,
) -> Result<(Map<String, Value>, TokenSource)> {
    match body.and_then(|b| b.get("token")) {
        Some(Value::String(token)) if !token.trim().is_empty() => {
            return Ok((verifier.verify(token)?, TokenSource::Body));
        }
        Some(Value::String(_) | Value::Null) | None => {}
        Some(_) => {
            return Err(Error::token(
                TokenErrorKind::Malformed,
                "the body token is not a string",
            ));
        }
    }
    let header_token = header_value.map(strip_bearer).filter(|t| !t.is_empty());
    let Some(token) = header_token else {
        return Err(Error::token(
            TokenErrorKind::Missing,
            "no token: neither the body nor the header carries one",
        ));
    };
    let mut claims = verifier.verify(token)?;
    let data = match claims.remove("payload") {
        Some(Value::Object(payload)) => payload,
        // A header token without a payload wrapper is read as a flat token.
        Some(other) => {
            claims.insert("payload".into(), other);
            claims
        }
        None => claims,
    };
    Ok((data, TokenSource::Header))
}

#[cfg(test)]
#[path = "tokens_tests.rs"]
mod tests;
