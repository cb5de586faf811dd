//! The conversion API: `POST <docs>/converter`, and its JSON or legacy XML replies.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::keys::is_valid_key;
use crate::request::{json_post, with_shardkey, HttpRequest, RequestSigning};
use crate::urls::{join, parse_http_url};

/// What to convert.
#[derive(Debug, Clone, Default)]
pub struct ConversionInput {
    pub key: String,
    pub filetype: String,
    pub outputtype: String,
    pub url: String,
    pub title: Option<String>,
    pub async_: bool,
    pub region: Option<String>,
    pub password: Option<String>,
    pub thumbnail: Option<Map<String, Value>>,
}

/// Build the conversion request. The key is the conversion's own identifier: repeat the identical
/// request (same key) to poll an asynchronous conversion.
pub fn conversion_request(
    docs_url: &str,
    input: &ConversionInput,
    signing: Option<RequestSigning<'_>>,
    shardkey: bool,
) -> Result<HttpRequest> {
    if !is_valid_key(&input.key) {
        return Err(Error::argument(format!(
            "conversion key {:?} is not 1-128 characters of 0-9 a-z A-Z - . _ =",
            input.key
        )));
    }
    for (name, value) in [
        ("filetype", &input.filetype),
        ("outputtype", &input.outputtype),
    ] {
        if value.is_empty() || value.len() > 16 || !value.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(Error::argument(format!(
                "{name} {value:?} is not a file extension"
            )));
        }
    }
    parse_http_url(&input.url).map_err(|e| Error::argument(format!("source url: {e}")))?;
    let mut body = Map::new();
    body.insert("async".into(), input.async_.into());
    body.insert(
        "filetype".into(),
        input.filetype.to_ascii_lowercase().into(),
    );
    body.insert("key".into(), input.key.clone().into());
    body.insert(
        "outputtype".into(),
        input.outputtype.to_ascii_lowercase().into(),
    );
    body.insert("url".into(), input.url.clone().into());
    let optional = [
        ("title", &input.title),
        ("region", &input.region),
        ("password", &input.password),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            body.insert(name.into(), value.clone().into());
        }
    }
    if let Some(thumbnail) = &input.thumbnail {
        body.insert("thumbnail".into(), Value::Object(thumbnail.clone()));
    }
    let mut url = join(docs_url, "converter")?;
    if shardkey {
        url = with_shardkey(url, &input.key);
    }
    json_post(url, body, signing)
}

/// A conversion reply. While `end_convert` is false, poll again; when true, `file_url` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionResult {
    pub end_convert: bool,
    pub percent: i64,
    pub file_url: Option<String>,
    pub file_type: Option<String>,
}

/// Docs' job key for `document_key` converted to `outputtype`: stable (the same conversion is the
/// same job, so a repeated request polls it) and short.
pub fn conversion_key(document_key: &str, outputtype: &str) -> String {
    let digest = Sha256::digest(format!("{document_key}\n{outputtype}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("conv-{}", &hex[..40])
}

/// What a conversion error code means for the caller's own reply: a kind (a family of errors a
/// client can act on) and the HTTP status to answer with.
pub fn conversion_failure(code: i64) -> (&'static str, u16) {
    match code {
        -2 => ("Timeout", 504),
        -4 => ("DownloadFailed", 502),
        -5 => ("PasswordProtected", 422),
        -10 => ("TooLarge", 413),
        -8 => ("TokenRefused", 502),
        -7 | -9 => ("BadRequest", 422),
        -3 => ("ConversionError", 422),
        _ => ("ConversionError", 502),
    }
}

/// The plain-words meaning of a conversion error code.
pub fn conversion_error_message(code: i64) -> &'static str {
    match code {
        -1 => "unknown conversion error",
        -2 => "the conversion timed out",
        -3 => "the conversion failed (the file may be damaged or in a format the converter cannot read)",
        -4 => "Docs could not download the source file (check that Docs can reach the Plone URL, \
               and that private addresses are allowed if Plone is on one)",
        -5 => "the file is protected by a password or DRM, and the password is missing or wrong",
        -6 => "Docs could not reach its conversion result database",
        -7 => "the conversion request is invalid",
        -8 => "the conversion request's token is invalid or expired (check the JWT secret and the clocks)",
        -9 => "the converter cannot determine the output format",
        -10 => "the file is larger than Docs accepts",
        _ => "unknown Docs conversion error code",
    }
}

/// Parse a conversion reply, JSON (`/converter`, or `Accept: application/json`) or XML
/// (`ConvertService.ashx`); the content type decides, else the first character. A Docs error code
/// is `Error::Docs`; an unreadable reply is `Error::Protocol`.
pub fn parse_conversion_response(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<ConversionResult> {
    let text =
        std::str::from_utf8(body).map_err(|_| Error::protocol("conversion reply is not UTF-8"))?;
    let text = text.trim_start_matches('\u{feff}').trim();
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let xml = if ct.contains("xml") {
        true
    } else if ct.contains("json") {
        false
    } else {
        text.starts_with('<')
    };
    if xml {
        parse_xml(text)
    } else {
        parse_json(text)
    }
}

fn docs_error(code: i64) -> Error {
    let (kind, http_status) = conversion_failure(code);
    Error::Docs {
        code,
        message: conversion_error_message(code).to_owned(),
        kind,
        http_status,
    }
}

fn parse_json(text: &str) -> Result<ConversionResult> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::protocol(format!("conversion reply is not JSON: {e}")))?;
    let Value::Object(reply) = value else {
        return Err(Error::protocol("conversion reply is not a JSON object"));
    };
    if let Some(error) = reply.get("error") {
        let code = error.as_i64().ok_or_else(|| {
            Error::protocol(format!("conversion reply error {error} is not an integer"))
        })?;
        if code != 0 {
            return Err(docs_error(code));
        }
    }
    let end_convert = match reply.get("endConvert") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        None => false,
        Some(other) => {
            return Err(Error::protocol(format!(
                "conversion reply endConvert {other} is not a boolean"
            )))
        }
    };
    let string = |name: &str| -> Result<Option<String>> {
        match reply.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::protocol(format!(
                "conversion reply {name} {other} is not a string"
            ))),
        }
    };
    let percent = match reply.get("percent") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    finish(
        end_convert,
        percent,
        string("fileUrl")?,
        string("fileType")?,
    )
}

fn finish(
    end_convert: bool,
    percent: Option<i64>,
    file_url: Option<String>,
    file_type: Option<String>,
) -> Result<ConversionResult> {
    if end_convert && file_url.is_none() {
        return Err(Error::protocol(
            "conversion reply says the conversion ended but carries no fileUrl",
        ));
    }
    let percent = if end_convert {
        100
    } else {
        percent.unwrap_or(0).clamp(0, 100)
    };
    Ok(ConversionResult {
        end_convert,
        percent,
        file_url,
        file_type,
    })
}

fn parse_xml(text: &str) -> Result<ConversionResult> {
    let mut text = text;
    if text.starts_with("<?") {
        let end = text
            .find("?>")
            .ok_or_else(|| Error::protocol("conversion reply has a broken XML declaration"))?;
        text = text[end + 2..].trim_start();
    }
    let root = element(text, "FileResult")?
        .ok_or_else(|| Error::protocol("conversion reply is XML without a FileResult element"))?;
    if let Some(error) = element(root, "Error")? {
        let code: i64 = unescape(error)?.trim().parse().map_err(|_| {
            Error::protocol(format!(
                "conversion reply error {error:?} is not an integer"
            ))
        })?;
        if code != 0 {
            return Err(docs_error(code));
        }
    }
    let text_of = |name: &str| -> Result<Option<String>> {
        match element(root, name)? {
            Some(raw) => {
                let value = unescape(raw)?;
                let value = value.trim();
                Ok((!value.is_empty()).then(|| value.to_owned()))
            }
            None => Ok(None),
        }
    };
    let end_convert = text_of("EndConvert")?.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let percent = text_of("Percent")?.and_then(|p| p.parse().ok());
    finish(
        end_convert,
        percent,
        text_of("FileUrl")?,
        text_of("FileType")?,
    )
}

/// The content of the first `<name>…</name>` (or `<name/>`, which is empty) in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> Result<Option<&'a str>> {
    let mut from = 0;
    while let Some(pos) = xml[from..].find('<') {
        let start = from + pos + 1;
        let rest = &xml[start..];
        if let Some(after) = rest.strip_prefix(name) {
            let tag_end = after.find('>').ok_or_else(|| {
                Error::protocol(format!("conversion reply has an unterminated <{name}> tag"))
            })?;
            let attrs = &after[..tag_end];
            if attrs.is_empty() || attrs.starts_with(char::is_whitespace) || attrs.trim_end() == "/"
            {
                if attrs.trim_end().ends_with('/') {
                    return Ok(Some(""));
                }
                let content_start = start + name.len() + tag_end + 1;
                let close = format!("</{name}>");
                let len = xml[content_start..]
                    .find(&close)
                    .ok_or_else(|| Error::protocol(format!("conversion reply has no </{name}>")))?;
                return Ok(Some(&xml[content_start..content_start + len]));
            }
        }
        from = start;
    }
    Ok(None)
}

fn unescape(text: &str) -> Result<String> {
    if !text.contains('&') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .filter(|s| *s <= 10)
            .ok_or_else(|| Error::protocol("conversion reply has a broken XML entity"))?;
        let entity = &after[..semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or_else(|| {
                    Error::protocol(format!(
                        "conversion reply has an unknown XML entity &{entity};"
                    ))
                })?
            }
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::verify_token;

    #[test]
    fn conversion_keys_are_stable_and_distinct() {
        // sha256("uid.abc\npdf"), as Python's hashlib gives it.
        assert_eq!(
            conversion_key("uid.abc", "pdf"),
            "conv-1788bd10b6c7c9f4605e18d990736549bee5e65f"
        );
        let key = conversion_key("uid.abc", "pdf");
        assert!(is_valid_key(&key));
        assert_ne!(key, conversion_key("uid.abc", "docx"));
        assert_ne!(key, conversion_key("uid.abd", "pdf"));
    }

    #[test]
    fn failures_by_code() {
        let table = [
            (-1, ("ConversionError", 502)),
            (-2, ("Timeout", 504)),
            (-3, ("ConversionError", 422)),
            (-4, ("DownloadFailed", 502)),
            (-5, ("PasswordProtected", 422)),
            (-6, ("ConversionError", 502)),
            (-7, ("BadRequest", 422)),
            (-8, ("TokenRefused", 502)),
            (-9, ("BadRequest", 422)),
            (-10, ("TooLarge", 413)),
            (-99, ("ConversionError", 502)),
        ];
        for (code, expected) in table {
            assert_eq!(conversion_failure(code), expected, "{code}");
        }
    }

    fn input() -> ConversionInput {
        ConversionInput {
            key: "conv.abc=".into(),
            filetype: "DOC".into(),
            outputtype: "docx".into(),
            url: "https://plone.example.com/f/@@download".into(),
            title: Some("Old.doc".into()),
            async_: true,
            ..ConversionInput::default()
        }
    }

    #[test]
    fn builds_a_signed_request() {
        let signing = RequestSigning {
            secret: "s",
            header: "AuthorizationJwt",
            expires_in: 300,
        };
        let req =
            conversion_request("http://docs.internal/ds/", &input(), Some(signing), true).unwrap();
        assert_eq!(
            req.url,
            "http://docs.internal/ds/converter?shardkey=conv.abc%3D"
        );
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(body["filetype"], "doc");
        assert_eq!(body["async"], true);
        let claims = verify_token(body["token"].as_str().unwrap(), "s", 0).unwrap();
        assert_eq!(claims["url"], body["url"]);
        let (_, auth) = req
            .headers
            .iter()
            .find(|(n, _)| n == "AuthorizationJwt")
            .unwrap();
        let header_claims = verify_token(auth.strip_prefix("Bearer ").unwrap(), "s", 0).unwrap();
        assert_eq!(header_claims["payload"]["key"], "conv.abc=");
        assert!(header_claims["payload"].get("token").is_none());
    }

    #[test]
    fn unsigned_request_without_shardkey() {
        let req = conversion_request("http://docs", &input(), None, false).unwrap();
        assert_eq!(req.url, "http://docs/converter");
        assert!(!String::from_utf8(req.body).unwrap().contains("token"));
        assert_eq!(req.headers.len(), 2);
    }

    #[test]
    fn refuses_bad_input() {
        let mut i = input();
        i.key = "a b".into();
        assert!(conversion_request("http://docs", &i, None, true).is_err());
        let mut i = input();
        i.outputtype = "../x".into();
        assert!(conversion_request("http://docs", &i, None, true).is_err());
        assert!(conversion_request("docs", &input(), None, true).is_err());
    }

    #[test]
    fn parses_json_replies() {
        let r = parse_conversion_response(br#"{"endConvert": true, "fileType": "docx", "fileUrl": "https://docs/x.docx", "percent": 100}"#, None).unwrap();
        assert!(r.end_convert);
        assert_eq!(r.file_url.as_deref(), Some("https://docs/x.docx"));
        let r = parse_conversion_response(
            br#"{"endConvert": false, "percent": 0}"#,
            Some("application/json"),
        )
        .unwrap();
        assert!(!r.end_convert && r.file_url.is_none());
        let err = parse_conversion_response(br#"{"error": -4}"#, None).unwrap_err();
        assert!(matches!(
            err,
            Error::Docs {
                code: -4,
                kind: "DownloadFailed",
                http_status: 502,
                ..
            }
        ));
        assert!(err.to_string().contains("download"));
    }

    #[test]
    fn parses_xml_replies() {
        let ok = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<FileResult>\n  <FileUrl>https://docs/x.docx?a=1&amp;b=2</FileUrl>\n  <FileType>docx</FileType>\n  <Percent>100</Percent>\n  <EndConvert>True</EndConvert>\n</FileResult>";
        let r = parse_conversion_response(ok.as_bytes(), Some("text/xml")).unwrap();
        assert!(r.end_convert);
        assert_eq!(r.file_url.as_deref(), Some("https://docs/x.docx?a=1&b=2"));
        let pending = "<FileResult><FileUrl/><Percent>40</Percent><EndConvert>False</EndConvert></FileResult>";
        let r = parse_conversion_response(pending.as_bytes(), None).unwrap();
        assert_eq!((r.end_convert, r.percent, r.file_url), (false, 40, None));
        let err = parse_conversion_response(b"<FileResult><Error>-8</Error></FileResult>", None)
            .unwrap_err();
        assert!(matches!(err, Error::Docs { code: -8, .. }));
    }

    #[test]
    fn garbage_is_a_protocol_error() {
        for body in [
            &b""[..],
            b"<html>502</html>",
            b"{",
            b"[1]",
            b"\xff\xfe",
            br#"{"endConvert": true}"#,
            br#"{"error": "x"}"#,
            b"<FileResult><FileUrl>x",
        ] {
            let err = parse_conversion_response(body, None).unwrap_err();
            assert!(matches!(err, Error::Protocol(_)), "{body:?}: {err:?}");
        }
    }
}
