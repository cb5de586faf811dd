//! JSON Web Tokens between Plone, the browser and Docs (HS256/HS384/HS512).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result, TokenErrorKind};

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

fn algorithm_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::HS384 => "HS384",
        Algorithm::HS512 => "HS512",
        _ => "HS256",
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
/// `base64url(header).base64url(claims).base64url(signature)`, signed by `jsonwebtoken::crypto`.
pub fn sign_json(claims_json: &[u8], secret: &str, alg: Algorithm) -> Result<String> {
    check_secret(secret)?;
    let header = match alg {
        Algorithm::HS384 => r#"{"typ":"JWT","alg":"HS384"}"#,
        Algorithm::HS512 => r#"{"typ":"JWT","alg":"HS512"}"#,
        _ => r#"{"typ":"JWT","alg":"HS256"}"#,
    };
    let mut token = String::with_capacity((header.len() + claims_json.len()) * 4 / 3 + 96);
    URL_SAFE_NO_PAD.encode_string(header, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(claims_json, &mut token);
    let key = EncodingKey::from_secret(secret.as_bytes());
    let signature = jsonwebtoken::crypto::sign(token.as_bytes(), &key, alg)?;
    token.push('.');
    token.push_str(&signature);
    Ok(token)
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
    ///
    /// The signature is checked by `jsonwebtoken::crypto` before the claims are read; the claims
    /// are parsed once, straight into the map that is returned.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>> {
        let json = self.verify_claims_json(token)?;
        serde_json::from_slice(&json)
            .map_err(|_| malformed("malformed token: the claims are not a JSON object"))
    }

    /// Verify a token like [`Verifier::verify`] and return its claims as JSON bytes (an object),
    /// for callers that build their own representation of the claims.
    pub fn verify_claims_json(&self, token: &str) -> Result<Vec<u8>> {
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
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "malformed token: a JWT has three dot-separated parts",
            ));
        };
        let alg = self.algorithm_of(header)?;
        let message = &token[..header.len() + 1 + claims.len()];
        let key = DecodingKey::from_secret(self.secret.as_bytes());
        let valid = jsonwebtoken::crypto::verify(signature, message.as_bytes(), &key, alg)
            .map_err(|_| malformed("malformed token: the signature is not base64url"))?;
        if !valid {
            return Err(Error::token(
                TokenErrorKind::InvalidSignature,
                "token signature does not match the secret",
            ));
        }
        let json = URL_SAFE_NO_PAD
            .decode(claims)
            .map_err(|_| malformed("malformed token: the claims are not base64url"))?;
        self.check_times(&json)?;
        Ok(json)
    }

    /// Read the JOSE header: `alg: none`, non-HMAC and unlisted algorithms are refused here.
    fn algorithm_of(&self, header: &str) -> Result<Algorithm> {
        #[derive(serde::Deserialize)]
        struct Jose<'a> {
            #[serde(borrow)]
            alg: Option<std::borrow::Cow<'a, str>>,
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|_| malformed("malformed token: the header is not base64url"))?;
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
            .find(|a| algorithm_name(*a) == alg)
            .ok_or_else(|| {
                Error::token(
                    TokenErrorKind::InvalidAlgorithm,
                    format!("token algorithm {alg:?} is not accepted"),
                )
            })
    }

    /// `exp` and `nbf`, when present, must be integers (NumericDate seconds) and current. Reads
    /// only these two members of the claims object; duplicates of them are refused.
    fn check_times(&self, json: &[u8]) -> Result<()> {
        #[derive(serde::Deserialize)]
        struct Times {
            exp: Option<Value>,
            nbf: Option<Value>,
        }
        let not_object = || malformed("malformed token: the claims are not a JSON object");
        if json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(not_object());
        }
        let times: Times = serde_json::from_slice(json).map_err(|_| not_object())?;
        let read = |name: &str, value: Option<Value>| -> Result<Option<i128>> {
            match value {
                None => Ok(None),
                Some(Value::Number(n)) => n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .map(Some)
                    .ok_or_else(|| malformed(&format!("token claim {name:?} is not an integer"))),
                Some(_) => Err(malformed(&format!(
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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const SECRET: &str = "s3cret";

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn kind(err: Error) -> TokenErrorKind {
        match err {
            Error::Token(kind, _) => kind,
            other => panic!("not a token error: {other:?}"),
        }
    }

    fn b64(data: &[u8]) -> String {
        let mut s = String::new();
        for chunk in data.chunks(3) {
            const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                s.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        s
    }

    #[test]
    fn tokens_match_jsonwebtoken_encode() {
        let claims = json!({"key": "k", "n": 1});
        for alg in HMAC_ALGORITHMS {
            let theirs = jsonwebtoken::encode(
                &jsonwebtoken::Header::new(alg),
                &claims,
                &EncodingKey::from_secret(SECRET.as_bytes()),
            )
            .unwrap();
            assert_eq!(sign(&claims, SECRET, alg).unwrap(), theirs);
        }
    }

    #[test]
    fn round_trip_all_algorithms() {
        for name in ["HS256", "HS384", "HS512"] {
            let alg = parse_algorithm(name).unwrap();
            let token = sign_token(obj(json!({"key": "k"})), SECRET, alg, Some(60)).unwrap();
            let claims = verify_token(&token, SECRET, 60).unwrap();
            assert_eq!(claims["key"], "k");
            assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
        }
    }

    #[test]
    fn refusals_have_distinct_kinds() {
        let token = sign_token(obj(json!({"a": 1})), SECRET, Algorithm::HS256, None).unwrap();
        assert_eq!(
            kind(verify_token(&token, "other", 60).unwrap_err()),
            TokenErrorKind::InvalidSignature
        );
        let expired =
            sign_token(obj(json!({"a": 1})), SECRET, Algorithm::HS256, Some(-120)).unwrap();
        assert_eq!(
            kind(verify_token(&expired, SECRET, 60).unwrap_err()),
            TokenErrorKind::Expired
        );
        assert!(
            verify_token(&expired, SECRET, 300).is_ok(),
            "leeway covers it"
        );
        let immature = sign_token(
            obj(json!({"nbf": now() + 600})),
            SECRET,
            Algorithm::HS256,
            None,
        )
        .unwrap();
        assert_eq!(
            kind(verify_token(&immature, SECRET, 60).unwrap_err()),
            TokenErrorKind::Immature
        );
        assert_eq!(
            kind(verify_token("abc", SECRET, 60).unwrap_err()),
            TokenErrorKind::Malformed
        );
        assert_eq!(
            kind(verify_token("  ", SECRET, 60).unwrap_err()),
            TokenErrorKind::Missing
        );
        let bad_exp = sign(&json!({"exp": 1.5e9}), SECRET, Algorithm::HS256).unwrap();
        assert_eq!(
            kind(verify_token(&bad_exp, SECRET, 60).unwrap_err()),
            TokenErrorKind::Malformed
        );
        let bad_exp = sign(&json!({"exp": "tomorrow"}), SECRET, Algorithm::HS256).unwrap();
        assert_eq!(
            kind(verify_token(&bad_exp, SECRET, 60).unwrap_err()),
            TokenErrorKind::Malformed
        );
    }

    #[test]
    fn alg_none_and_confusion_are_refused() {
        let body = b64(br#"{"key":"k"}"#);
        for header in [
            r#"{"alg":"none","typ":"JWT"}"#,
            r#"{"alg":"RS256"}"#,
            r#"{"typ":"JWT"}"#,
        ] {
            let token = format!("{}.{body}.", b64(header.as_bytes()));
            assert_eq!(
                kind(verify_token(&token, SECRET, 60).unwrap_err()),
                TokenErrorKind::InvalidAlgorithm
            );
        }
        let hs512 = sign_token(obj(json!({})), SECRET, Algorithm::HS512, None).unwrap();
        let only256 = Verifier {
            secret: SECRET,
            leeway: 60,
            algorithms: &[Algorithm::HS256],
        };
        assert_eq!(
            kind(only256.verify(&hs512).unwrap_err()),
            TokenErrorKind::InvalidAlgorithm
        );
    }

    #[test]
    fn empty_secret_and_unknown_algorithm_are_argument_errors() {
        assert!(matches!(
            sign(&json!({}), "", Algorithm::HS256),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            verify_token("a.b.c", "", 60),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            parse_algorithm("none"),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            verify_token("a.b.c", SECRET, u64::MAX),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn incoming_prefers_body_then_unwraps_header() {
        let v = Verifier::new(SECRET);
        let body_token =
            sign_token(obj(json!({"from": "body"})), SECRET, Algorithm::HS256, None).unwrap();
        let header_token =
            sign_header_token(json!({"from": "header"}), SECRET, Algorithm::HS256, None).unwrap();
        let header = format!("Bearer {header_token}");
        let body = obj(json!({"token": body_token}));
        let (data, source) = incoming_payload(Some(&body), Some(&header), &v).unwrap();
        assert_eq!(
            (data["from"].as_str(), source),
            (Some("body"), TokenSource::Body)
        );
        let (data, source) = incoming_payload(Some(&obj(json!({}))), Some(&header), &v).unwrap();
        assert_eq!(
            (data["from"].as_str(), source),
            (Some("header"), TokenSource::Header)
        );
        assert!(!data.contains_key("iat"), "payload unwrapped");
        let (data, _) = incoming_payload(None, Some(&header_token), &v).unwrap();
        assert_eq!(data["from"], "header");
        let err = incoming_payload(None, Some("Bearer "), &v).unwrap_err();
        assert_eq!(kind(err), TokenErrorKind::Missing);
        let err = incoming_payload(Some(&obj(json!({"token": 5}))), None, &v).unwrap_err();
        assert_eq!(kind(err), TokenErrorKind::Malformed);
    }

    #[test]
    fn bearer_prefix() {
        assert_eq!(strip_bearer("Bearer abc"), "abc");
        assert_eq!(strip_bearer("  bearer   abc "), "abc");
        assert_eq!(strip_bearer("abc"), "abc");
        assert_eq!(strip_bearer("Bearer"), "");
        assert_eq!(strip_bearer("Bearerabc"), "Bearerabc");
    }

    proptest! {
        #[test]
        fn any_claims_round_trip(key in "\\PC{0,40}", n in any::<i64>(), alg in 0usize..3) {
            let claims = obj(json!({"key": key, "n": n}));
            let token = sign_token(claims, SECRET, HMAC_ALGORITHMS[alg], Some(300)).unwrap();
            let back = verify_token(&token, SECRET, 60).unwrap();
            prop_assert_eq!(back["key"].as_str(), Some(key.as_str()));
            prop_assert_eq!(back["n"].as_i64(), Some(n));
        }

        #[test]
        fn verify_never_panics(token in "\\PC{0,200}") {
            let _ = verify_token(&token, SECRET, 60);
        }

        #[test]
        fn tampering_is_detected(pos in 0usize..1000, byte in any::<u8>()) {
            let token = sign_token(obj(json!({"key": "abc", "x": 1})), SECRET, Algorithm::HS256, None).unwrap();
            let mut bytes = token.clone().into_bytes();
            let i = pos % bytes.len();
            prop_assume!(bytes[i] != byte);
            bytes[i] = byte;
            if let Ok(tampered) = String::from_utf8(bytes) {
                // Only the last base64 character may carry unused bits; everything else must fail.
                if let Ok(claims) = verify_token(&tampered, SECRET, 60) {
                    prop_assert_eq!(claims["key"].as_str(), Some("abc"));
                }
            }
        }
    }
}
