//! Signing and verifying tokens, against jsonwebtoken and PyJWT's rules.

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
    for (alg, theirs) in HMAC_ALGORITHMS.into_iter().zip([
        jsonwebtoken::Algorithm::HS256,
        jsonwebtoken::Algorithm::HS384,
        jsonwebtoken::Algorithm::HS512,
    ]) {
        let theirs = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(theirs),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
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
    let expired = sign_token(obj(json!({"a": 1})), SECRET, Algorithm::HS256, Some(-120)).unwrap();
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

/// How tokens were taken apart before the claims stopped being searched for dots: the
/// reference for the errors (and their order) of [`Verifier::verified_claims`].
fn verified_claims_reference(verifier: &Verifier<'_>, token: &str) -> Result<Vec<u8>> {
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
    let alg = verifier.algorithm_of(header)?;
    let message = &token[..header.len() + 1 + claims.len()];
    let valid = crate::jws::verify(
        message.as_bytes(),
        signature,
        verifier.secret.as_bytes(),
        alg,
    )
    .ok_or_else(|| malformed("malformed token: the signature is not base64url"))?;
    if !valid {
        return Err(Error::token(
            TokenErrorKind::InvalidSignature,
            "token signature does not match the secret",
        ));
    }
    base64url::decode(claims.as_bytes())
        .ok_or_else(|| malformed("malformed token: the claims are not base64url"))
}

/// Pieces tokens are made of: good ones, and ones that break each check.
fn token_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(b64(br#"{"alg":"HS256"}"#)),
        Just(b64(br#"{"alg":"HS512","typ":"JWT"}"#)),
        Just(b64(br#"{"alg":"none"}"#)),
        Just(b64(br#"{"key":"k","exp":1}"#)),
        Just(String::new()),
        "[A-Za-z0-9_\\-]{0,12}",
        "[A-Za-z0-9_\\-.=+ ]{0,12}",
    ]
}

proptest! {
    #[test]
    fn tokens_are_taken_apart_like_the_reference(
        pieces in prop::collection::vec(token_piece(), 0..6),
        signed in any::<bool>(),
        alg in 0usize..3,
    ) {
        let mut token = pieces.join(".");
        if signed {
            // A good MAC over whatever came before, so later checks are reached too.
            let mut tag = [0u8; 64];
            let len = crate::jws::mac(token.as_bytes(), SECRET.as_bytes(), HMAC_ALGORITHMS[alg], &mut tag);
            token.push('.');
            token.push_str(&b64(&tag[..len]));
        }
        let verifier = Verifier::new(SECRET);
        let ours = verifier.verified_claims(&token).map_err(|e| format!("{e:?}"));
        let reference = verified_claims_reference(&verifier, &token).map_err(|e| format!("{e:?}"));
        prop_assert_eq!(ours, reference);
    }
}
