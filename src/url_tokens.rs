//! Short-lived tokens in the URLs Plone hands to Docs, and the check of the header token Docs
//! sends when it fetches such a URL.
//!
//! A URL token is signed with the site's own secret (not Docs' JWT secret) and scoped to one
//! purpose and one subject, so a URL taken from one editor config cannot fetch another document
//! or post another session's callback.

use jsonwebtoken::Algorithm;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result, TokenErrorKind};
use crate::keys::is_valid_key;
use crate::tokens::{self, incoming_payload, Verifier};
use crate::urls::parse_http_url;

/// What a URL token lets Docs do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Fetch the file of one document (editor, conversion).
    Download,
    /// Post the callbacks of one editing session (one document, one key).
    Callback,
    /// Fetch the site's connection-check file.
    ConnectionCheck,
    /// Fetch the file of one stored version of one document (the editor's version history).
    Version,
    /// Fetch the changes (Docs' changes.zip) that produced one version of one document.
    Changes,
}

impl Purpose {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "download" => Ok(Purpose::Download),
            "callback" => Ok(Purpose::Callback),
            "connection-check" => Ok(Purpose::ConnectionCheck),
            "version" => Ok(Purpose::Version),
            "changes" => Ok(Purpose::Changes),
            other => Err(Error::argument(format!(
                "URL token purpose {other:?} is not \"download\", \"callback\", \"connection-check\", \"version\" or \"changes\""
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Download => "download",
            Purpose::Callback => "callback",
            Purpose::ConnectionCheck => "connection-check",
            Purpose::Version => "version",
            Purpose::Changes => "changes",
        }
    }

    /// What the key of a token for this purpose names.
    fn key_meaning(self) -> &'static str {
        match self {
            Purpose::Download => "the content key of the file it downloads",
            Purpose::Callback => "the session's key",
            Purpose::ConnectionCheck => "no key",
            Purpose::Version | Purpose::Changes => "the version number",
        }
    }

    /// The token's `sub`: `<uid>:<key>` for a download (the key of the file's content it was
    /// issued for: once the file is replaced, the token no longer downloads) and for a callback
    /// (the session's key; a key has no colon, so the pair is unambiguous), "site" for the
    /// connection check, which has no document (`uid` empty, no key), and `<uid>@<n>` for a
    /// version's file or its changes, where `key` carries the version number `n` (decimal
    /// digits). The purpose is a claim of its own, so a version token never fetches that
    /// version's changes, nor the reverse.
    pub fn subject(self, uid: &str, key: Option<&str>) -> Result<String> {
        let purpose = self.as_str();
        match self {
            Purpose::ConnectionCheck if uid.is_empty() && key.is_none() => Ok("site".to_owned()),
            Purpose::ConnectionCheck => Err(Error::argument(
                "a connection-check URL token is for the site: pass an empty uid and no key",
            )),
            _ if uid.is_empty() => Err(Error::argument(format!(
                "a {purpose} URL token needs the document's uid"
            ))),
            Purpose::Download | Purpose::Callback => match key {
                Some(key) if is_valid_key(key) => Ok(format!("{uid}:{key}")),
                Some(key) => Err(Error::argument(format!(
                    "a {purpose} URL token needs a document key, not {key:?}"
                ))),
                None => Err(Error::argument(format!(
                    "a {purpose} URL token needs {}",
                    self.key_meaning()
                ))),
            },
            Purpose::Version | Purpose::Changes => match key {
                Some(n) if is_version_number(n) => Ok(format!("{uid}@{n}")),
                Some(n) => Err(Error::argument(format!(
                    "a {purpose} URL token needs a version number, not {n:?}"
                ))),
                None => Err(Error::argument(format!(
                    "a {purpose} URL token needs the version number"
                ))),
            },
        }
    }
}

/// A version number as a URL carries it: 1 to 9 decimal digits, no sign, no leading zero
/// (so one number has one spelling and one subject).
fn is_version_number(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 9
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
}

fn refused(reason: impl Into<String>) -> Error {
    Error::token(TokenErrorKind::UrlToken, reason)
}

/// Sign a URL token: `{"purpose", "sub", "iat", "exp"}`, HS256, valid for `expires_in` seconds.
pub fn sign_url_token(
    secret: &str,
    purpose: Purpose,
    uid: &str,
    key: Option<&str>,
    expires_in: i64,
) -> Result<String> {
    #[derive(Serialize)]
    struct Claims<'a> {
        purpose: &'a str,
        sub: &'a str,
    }
    if expires_in <= 0 {
        return Err(Error::argument("a URL token's expires_in must be positive"));
    }
    let sub = purpose.subject(uid, key)?;
    let claims = Claims {
        purpose: purpose.as_str(),
        sub: &sub,
    };
    let now = tokens::now();
    tokens::sign_timed(
        &claims,
        secret,
        Algorithm::HS256,
        Some(now),
        Some(now.saturating_add(expires_in)),
    )
}

/// Verify a URL token for `purpose` and the subject of `uid` (and `key`): its claims, or
/// `Error::Token(UrlToken, why)` saying in a few words why it is refused.
pub fn verify_url_token(
    token: Option<&str>,
    secret: &str,
    purpose: Purpose,
    uid: &str,
    key: Option<&str>,
    leeway: u64,
) -> Result<Map<String, Value>> {
    let subject = purpose.subject(uid, key)?;
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| refused("no token"))?;
    let claims = tokens::verify_token(token, secret, leeway).map_err(|e| match e {
        Error::Token(_, reason) => refused(reason),
        other => other,
    })?;
    match claims.get("purpose") {
        Some(Value::String(p)) if p == purpose.as_str() => {}
        other => {
            let made_for = match other {
                Some(Value::String(p)) => format!("'{p}'"),
                Some(v) => v.to_string(),
                None => "None".to_owned(),
            };
            return Err(refused(format!(
                "token made for {made_for}, not '{}'",
                purpose.as_str()
            )));
        }
    }
    if claims.get("sub").and_then(Value::as_str) != Some(subject.as_str()) {
        return Err(refused("token made for another object"));
    }
    if !claims.contains_key("exp") {
        return Err(refused("token without expiry"));
    }
    Ok(claims)
}

/// Check the token Docs sends in its header when it fetches a URL Plone gave it.
///
/// With a JWT secret (`None` or empty means JWT is off: nothing to check), the header token must
/// verify, and the `url` in its payload must carry `url_token` as its `token` query parameter.
/// Any other token signed with the secret, such as the editor config's that every viewer sees, is
/// refused. Only the URL token is compared, not host or path: Docs may reach Plone by another
/// address, and the URL token alone names the document and the purpose.
pub fn check_download_header(
    header_value: Option<&str>,
    secret: Option<&str>,
    url_token: &str,
    leeway: u64,
) -> Result<()> {
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    let verifier = Verifier::new(secret).with_leeway(leeway);
    let (payload, _) = incoming_payload(None, header_value, &verifier)?;
    let signed = match payload.get("url") {
        Some(Value::String(url)) => token_parameter(url).unwrap_or_default(),
        _ => String::new(),
    };
    if url_token.is_empty() || !constant_time_eq(signed.as_bytes(), url_token.as_bytes()) {
        return Err(refused("Docs' token was made for another URL"));
    }
    Ok(())
}

/// The first non-empty `token` query parameter of `url`, decoded as Python's `parse_qs` does.
fn token_parameter(url: &str) -> Option<String> {
    let query = match parse_http_url(url) {
        Ok(parsed) => parsed.path_and_query().1.to_owned(),
        // Docs may name Plone by any address; read the query of whatever it signed.
        Err(_) => {
            let before_fragment = url.split('#').next().unwrap_or("");
            before_fragment.split_once('?')?.1.to_owned()
        }
    };
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(_, value)| !value.is_empty())
        .find(|(name, _)| unquote_plus(name) == "token")
        .map(|(_, value)| unquote_plus(value))
}

/// `+` as space and `%XX` escapes decoded; invalid UTF-8 replaced, as Python's `unquote_plus`.
fn unquote_plus(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Equal contents, compared in time independent of where they differ (the length may show).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
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
        assert!(
            verify_url_token(Some(&expired), SITE, Purpose::Download, "u1", Some("k"), 60).is_ok()
        );
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
}
