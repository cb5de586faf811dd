//! Tests of the URL tokens (`url_tokens.rs`).

use super::*;
use crate::tokens::{sign_header_token, sign_token};
use proptest::prelude::*;
use serde_json::json;

const SITE: &str = "site-secret";
const JWT: &str = "docs-secret";

fn why(result: Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::Token(TokenErrorKind::UrlToken, reason)) => reason,
        other => panic!("not a refused URL token: {other:?}"),
    }
}

fn verify(
    token: &str,
    purpose: Purpose,
    uid: &str,
    key: Option<&str>,
) -> Result<Map<String, Value>> {
    verify_url_token(Some(token), SITE, purpose, uid, key, 0)
}

#[test]
fn subjects_are_decided_here() {
    assert_eq!(
        Purpose::Download.subject("u1", Some("u1.c")).unwrap(),
        "u1:u1.c"
    );
    assert_eq!(
        Purpose::Callback.subject("u1", Some("u1.k")).unwrap(),
        "u1:u1.k"
    );
    assert_eq!(Purpose::ConnectionCheck.subject("", None).unwrap(), "site");
    assert_eq!(Purpose::Version.subject("u1", Some("3")).unwrap(), "u1@3");
    assert_eq!(Purpose::Changes.subject("u1", Some("0")).unwrap(), "u1@0");
    for (purpose, uid, key) in [
        (Purpose::Version, "u1", None),
        (Purpose::Version, "", Some("1")),
        (Purpose::Version, "u1", Some("")),
        (Purpose::Version, "u1", Some("01")),
        (Purpose::Version, "u1", Some("-1")),
        (Purpose::Version, "u1", Some("1a")),
        (Purpose::Changes, "u1", Some("1234567890")),
        (Purpose::Changes, "u1", None),
        (Purpose::Download, "", Some("k")),
        (Purpose::Download, "u1", None),
        (Purpose::Download, "u1", Some("a:b")),
        (Purpose::Callback, "u1", None),
        (Purpose::Callback, "u1", Some("")),
        (Purpose::Callback, "u1", Some("a:b")),
        (Purpose::ConnectionCheck, "u1", None),
        (Purpose::ConnectionCheck, "", Some("k")),
    ] {
        assert!(
            matches!(purpose.subject(uid, key), Err(Error::InvalidArgument(_))),
            "{purpose:?} {uid:?} {key:?}"
        );
    }
    assert!(Purpose::parse("upload").is_err());
    for p in [
        Purpose::Download,
        Purpose::Callback,
        Purpose::ConnectionCheck,
        Purpose::Version,
        Purpose::Changes,
        Purpose::Reference,
    ] {
        assert_eq!(Purpose::parse(p.as_str()).unwrap(), p);
    }
}

#[test]
fn tokens_carry_purpose_subject_and_expiry() {
    let token = sign_url_token(SITE, Purpose::Callback, "u1", Some("u1.k"), 60).unwrap();
    let claims = verify(&token, Purpose::Callback, "u1", Some("u1.k")).unwrap();
    assert_eq!(claims["purpose"], "callback");
    assert_eq!(claims["sub"], "u1:u1.k");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
    let members: Vec<&str> = claims.keys().map(String::as_str).collect();
    assert_eq!(members.len(), 4, "{members:?}");
}

#[test]
fn download_tokens_are_bound_to_the_content_key() {
    // Tokens signed before downloads were bound to a content key name the UID only: a new
    // file (or an old config kept after losing access) must not download with them.
    let unbound = sign_token(
        json!({"purpose": "download", "sub": "u1"})
            .as_object()
            .unwrap()
            .clone(),
        SITE,
        Algorithm::HS256,
        Some(300),
    )
    .unwrap();
    assert_eq!(
        why(verify(&unbound, Purpose::Download, "u1", Some("u1.c1"))),
        "token made for another object"
    );
    let token = sign_url_token(SITE, Purpose::Download, "u1", Some("u1.c1"), 300).unwrap();
    verify(&token, Purpose::Download, "u1", Some("u1.c1")).unwrap();
    assert_eq!(
        why(verify(&token, Purpose::Download, "u1", Some("u1.c2"))),
        "token made for another object"
    );
    // The claims in the order the Python dict gave them: purpose, sub, iat, exp.
    use base64::Engine;
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.split('.').nth(1).unwrap())
        .unwrap();
    let claims = String::from_utf8(claims).unwrap();
    assert!(
        claims.starts_with(r#"{"purpose":"download","sub":"u1:u1.c1","iat":"#),
        "{claims}"
    );
    assert!(claims.contains(r#","exp":"#), "{claims}");
}

#[test]
fn refusals_say_why() {
    let download = sign_url_token(SITE, Purpose::Download, "u1", Some("k"), 60).unwrap();
    assert_eq!(
        why(verify_url_token(
            None,
            SITE,
            Purpose::Download,
            "u1",
            Some("k"),
            0
        )),
        "no token"
    );
    assert_eq!(
        why(verify("", Purpose::Download, "u1", Some("k"))),
        "no token"
    );
    assert_eq!(
        why(verify(&download, Purpose::Callback, "u1", Some("k"))),
        "token made for 'download', not 'callback'"
    );
    assert_eq!(
        why(verify(&download, Purpose::Download, "u2", Some("k"))),
        "token made for another object"
    );
    let callback = sign_url_token(SITE, Purpose::Callback, "u1", Some("k1"), 60).unwrap();
    assert_eq!(
        why(verify(&callback, Purpose::Callback, "u1", Some("k2"))),
        "token made for another object"
    );
    let forged = sign_url_token("other", Purpose::Download, "u1", Some("k"), 60).unwrap();
    assert!(why(verify(&forged, Purpose::Download, "u1", Some("k"))).contains("signature"));
    let expired = sign_token(
        json!({"purpose": "download", "sub": "u1:k"})
            .as_object()
            .unwrap()
            .clone(),
        SITE,
        Algorithm::HS256,
        Some(-5),
    )
    .unwrap();
    assert!(why(verify(&expired, Purpose::Download, "u1", Some("k"))).contains("expired"));
    assert!(verify_url_token(Some(&expired), SITE, Purpose::Download, "u1", Some("k"), 60).is_ok());
    let no_exp = sign_token(
        json!({"purpose": "download", "sub": "u1:k"})
            .as_object()
            .unwrap()
            .clone(),
        SITE,
        Algorithm::HS256,
        None,
    )
    .unwrap();
    assert_eq!(
        why(verify(&no_exp, Purpose::Download, "u1", Some("k"))),
        "token without expiry"
    );
    let no_purpose = sign_token(
        json!({"sub": "u1:k"}).as_object().unwrap().clone(),
        SITE,
        Algorithm::HS256,
        Some(60),
    )
    .unwrap();
    assert_eq!(
        why(verify(&no_purpose, Purpose::Download, "u1", Some("k"))),
        "token made for None, not 'download'"
    );
    assert!(why(verify("a.b", Purpose::Download, "u1", Some("k"))).contains("malformed"));
    assert!(matches!(
        sign_url_token(SITE, Purpose::Download, "u1", Some("k"), 0),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn a_version_token_opens_that_version_of_that_document_for_that_purpose_only() {
    let token = sign_url_token(SITE, Purpose::Version, "u1", Some("2"), 60).unwrap();
    let claims = verify(&token, Purpose::Version, "u1", Some("2")).unwrap();
    assert_eq!(claims["sub"], "u1@2");
    assert_eq!(
        why(verify(&token, Purpose::Version, "u1", Some("1"))),
        "token made for another object"
    );
    assert_eq!(
        why(verify(&token, Purpose::Version, "u2", Some("2"))),
        "token made for another object"
    );
    assert_eq!(
        why(verify(&token, Purpose::Changes, "u1", Some("2"))),
        "token made for 'version', not 'changes'"
    );
    assert_eq!(
        why(verify(&token, Purpose::Download, "u1", Some("u1.k"))),
        "token made for 'version', not 'download'"
    );
    let download = sign_url_token(SITE, Purpose::Download, "u1", Some("u1.k"), 60).unwrap();
    assert_eq!(
        why(verify(&download, Purpose::Version, "u1", Some("2"))),
        "token made for 'download', not 'version'"
    );
    // A version number is spelled one way: "02" is no other subject for version 2.
    assert!(matches!(
        verify(&token, Purpose::Version, "u1", Some("02")),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn a_reference_token_downloads_that_revision_for_links_only() {
    let token = sign_url_token(SITE, Purpose::Reference, "u1", Some("u1.k"), 60).unwrap();
    let claims = verify(&token, Purpose::Reference, "u1", Some("u1.k")).unwrap();
    assert_eq!(claims["sub"], "u1:u1.k");
    assert_eq!(
        why(verify(&token, Purpose::Reference, "u1", Some("u1.k2"))),
        "token made for another object"
    );
    assert_eq!(
        why(verify(&token, Purpose::Download, "u1", Some("u1.k"))),
        "token made for 'reference', not 'download'"
    );
    assert!(matches!(
        sign_url_token(SITE, Purpose::Reference, "u1", None, 60),
        Err(Error::InvalidArgument(_))
    ));
}

fn header_for(url: &str) -> String {
    format!(
        "Bearer {}",
        sign_header_token(json!({"url": url}), JWT, Algorithm::HS256, Some(60)).unwrap()
    )
}

#[test]
fn the_download_header_must_name_this_url_token() {
    let check =
        |header: Option<&str>, token: &str| check_download_header(header, Some(JWT), token, 60);
    let url = "http://plone:8080/Plone/@@onlyoffice-download?uid=u1&token=abc.def-_";
    check(Some(&header_for(url)), "abc.def-_").unwrap();
    // Another address for Plone, the same URL token: accepted.
    check(
        Some(&header_for("https://proxy/x?token=abc.def-_#f")),
        "abc.def-_",
    )
    .unwrap();
    check(Some(&header_for("https://p/x?token=a%2Bb")), "a+b").unwrap();
    check(Some(&header_for("https://p/x?token=&token=t2")), "t2").unwrap();
    for (header_url, token) in [
        (url, "abc.def-X"),
        (url, ""),
        ("https://p/x?uid=u1", "abc"),
        ("https://p/x?token=abc&token=def", "def"),
        ("https://p/x#token=abc", "abc"),
    ] {
        assert_eq!(
            why(check(Some(&header_for(header_url)), token)),
            "Docs' token was made for another URL",
            "{header_url} {token}"
        );
    }
    let config_token = sign_token(
        json!({"document": {"url": url}})
            .as_object()
            .unwrap()
            .clone(),
        JWT,
        Algorithm::HS256,
        Some(60),
    )
    .unwrap();
    assert_eq!(
        why(check(Some(&config_token), "abc.def-_")),
        "Docs' token was made for another URL"
    );
    assert!(matches!(
        check(None, "abc"),
        Err(Error::Token(TokenErrorKind::Missing, _))
    ));
    let wrong_secret = format!(
        "Bearer {}",
        sign_header_token(json!({"url": url}), "x", Algorithm::HS256, None).unwrap()
    );
    assert!(matches!(
        check(Some(&wrong_secret), "abc.def-_"),
        Err(Error::Token(TokenErrorKind::InvalidSignature, _))
    ));
    check_download_header(None, None, "abc", 60).unwrap();
    check_download_header(None, Some(""), "abc", 60).unwrap();
}

#[test]
fn unquotes_like_python() {
    assert_eq!(unquote_plus("a+b%20c%2b"), "a b c+");
    assert_eq!(unquote_plus("%"), "%");
    assert_eq!(unquote_plus("%4"), "%4");
    assert_eq!(unquote_plus("%zz"), "%zz");
    assert_eq!(unquote_plus("%ff"), "\u{fffd}");
}

proptest! {
    #[test]
    fn url_tokens_round_trip(uid in "[a-f0-9]{1,32}", key in "[a-zA-Z0-9._=-]{1,40}", expires_in in 1i64..1_000_000) {
        let token = sign_url_token(SITE, Purpose::Callback, &uid, Some(&key), expires_in).unwrap();
        let claims = verify(&token, Purpose::Callback, &uid, Some(&key)).unwrap();
        let sub = format!("{uid}:{key}");
        prop_assert_eq!(claims["sub"].as_str(), Some(sub.as_str()));
        prop_assert!(verify(&token, Purpose::Download, &uid, Some(&key)).is_err());
        let token = sign_url_token(SITE, Purpose::Download, &uid, Some(&key), expires_in).unwrap();
        prop_assert!(verify(&token, Purpose::Download, &uid, Some(&key)).is_ok());
        let other_uid = format!("{uid}0");
        prop_assert!(verify(&token, Purpose::Download, &other_uid, Some(&key)).is_err());
        let other_key = format!("{key}0");
        prop_assert!(verify(&token, Purpose::Download, &uid, Some(&other_key)).is_err());
    }

    #[test]
    fn a_token_parameter_is_found_whatever_else_the_query_holds(
        token in "[A-Za-z0-9._-]{1,60}",
        before in proptest::collection::vec("[a-z]{1,5}=[a-z0-9]{0,5}", 0..3),
        after in proptest::collection::vec("[a-z]{1,5}=[a-z0-9]{0,5}", 0..3),
    ) {
        let mut params = before.clone();
        params.push(format!("token={token}"));
        params.extend(after);
        prop_assume!(!before.iter().any(|p| p.starts_with("token=") && p.len() > 6));
        let url = format!("http://plone/x?{}", params.join("&"));
        prop_assert_eq!(token_parameter(&url), Some(token));
    }
}
