//! Short-lived tokens in the URLs Plone hands to Docs, and the check of the header token Docs
//! sends when it fetches such a URL.
//!
//! A URL token is signed with the site's own secret (not Docs' JWT secret) and scoped to one
//! purpose and one subject, so a URL taken from one editor config cannot fetch another document
//! or post another session's callback.

use crate::tokens::Algorithm;
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
    /// Fetch the file of one spreadsheet another one links to (`setReferenceData`).
    Reference,
    /// Fetch the file of one item a user picked to bring into a document (an image to insert,
    /// a document to compare or combine, a mail-merge spreadsheet).
    Content,
}

impl Purpose {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "download" => Ok(Purpose::Download),
            "callback" => Ok(Purpose::Callback),
            "connection-check" => Ok(Purpose::ConnectionCheck),
            "version" => Ok(Purpose::Version),
            "changes" => Ok(Purpose::Changes),
            "reference" => Ok(Purpose::Reference),
            "content" => Ok(Purpose::Content),
            other => Err(Error::argument(format!(
                "URL token purpose {other:?} is not \"download\", \"callback\", \"connection-check\", \"version\", \"changes\", \"reference\" or \"content\""
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
            Purpose::Reference => "reference",
            Purpose::Content => "content",
        }
    }

    /// What the key of a token for this purpose names.
    fn key_meaning(self) -> &'static str {
        match self {
            Purpose::Download | Purpose::Reference => "the content key of the file it downloads",
            Purpose::Callback => "the session's key",
            Purpose::ConnectionCheck => "no key",
            Purpose::Version | Purpose::Changes => "the version number",
            Purpose::Content => "the key of the file and of the user it was picked by",
        }
    }

    /// The token's `sub`: `<uid>:<key>` for a download and a link's source (the key of the
    /// file's content it was issued for: once the file is replaced, the token no longer
    /// downloads) and for a callback
    /// (the session's key; a key has no colon, so the pair is unambiguous), "site" for the
    /// connection check, which has no document (`uid` empty, no key), and `<uid>@<n>` for a
    /// version's file or its changes, where `key` carries the version number `n` (decimal
    /// digits). The purpose is a claim of its own, so a version token never fetches that
    /// version's changes, nor the reverse. Content tokens are `<uid>:<key>` too, `key` derived
    /// by the host from the file's revision and the user who picked it.
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
            Purpose::Download | Purpose::Reference | Purpose::Callback | Purpose::Content => {
                match key {
                    Some(key) if is_valid_key(key) => Ok(format!("{uid}:{key}")),
                    Some(key) => Err(Error::argument(format!(
                        "a {purpose} URL token needs a document key, not {key:?}"
                    ))),
                    None => Err(Error::argument(format!(
                        "a {purpose} URL token needs {}",
                        self.key_meaning()
                    ))),
                }
            }
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
#[path = "url_tokens_tests.rs"]
mod tests;
