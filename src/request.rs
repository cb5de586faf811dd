//! A server-to-server HTTP request to Docs, built but not sent (the Plone side owns the network).

use crate::tokens::Algorithm;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::tokens;

/// A POST request to Docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

/// How requests to Docs are signed: the body gets a flat `token`, the header a `Bearer` token of
/// `{"payload": body}`, as Docs reads either.
#[derive(Debug, Clone, Copy)]
pub struct RequestSigning<'a> {
    pub secret: &'a str,
    pub header: &'a str,
    pub expires_in: i64,
}

pub(crate) fn json_post(
    url: String,
    mut body: Map<String, Value>,
    signing: Option<RequestSigning<'_>>,
) -> Result<HttpRequest> {
    let mut headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("Accept".to_owned(), "application/json".to_owned()),
    ];
    if let Some(s) = signing.filter(|s| !s.secret.is_empty()) {
        if s.header.is_empty()
            || !s
                .header
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(crate::error::Error::argument(format!(
                "{:?} is not an HTTP header name",
                s.header
            )));
        }
        let header_token = tokens::sign_header_token(
            Value::Object(body.clone()),
            s.secret,
            Algorithm::HS256,
            Some(s.expires_in),
        )?;
        let body_token =
            tokens::sign_token(body.clone(), s.secret, Algorithm::HS256, Some(s.expires_in))?;
        body.insert("token".into(), body_token.into());
        headers.push((s.header.to_owned(), format!("Bearer {header_token}")));
    }
    Ok(HttpRequest {
        method: "POST",
        url,
        body: serde_json::to_vec(&body)?,
        headers,
    })
}

/// `?shardkey=<key>`, percent-encoding what a query value should not carry raw.
pub(crate) fn with_shardkey(mut url: String, key: &str) -> String {
    url.push_str("?shardkey=");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}
