//! Reading the callbacks Docs POSTs to `editorConfig.callbackUrl`.

use serde_json::{Map, Value};

use crate::error::{CallbackRef, Error, Result};
use crate::keys::is_valid_key;
use crate::tokens::{incoming_payload, TokenSource, Verifier, DEFAULT_LEEWAY};
use crate::urls::AllowedOrigins;

/// The default bound on a callback body (1 MiB); Docs' callbacks are a few kilobytes.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// The `status` of a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CallbackStatus {
    /// An editor connected or disconnected.
    Editing = 1,
    /// All editors left; the document is ready to save.
    MustSave = 2,
    /// Saving failed; `url` may hold the last good state.
    Corrupted = 3,
    /// Closed with no changes.
    Closed = 4,
    /// Force save while editing continues.
    MustForcesave = 6,
    /// Force save failed.
    CorruptedForcesave = 7,
}

impl CallbackStatus {
    pub fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            1 => CallbackStatus::Editing,
            2 => CallbackStatus::MustSave,
            3 => CallbackStatus::Corrupted,
            4 => CallbackStatus::Closed,
            6 => CallbackStatus::MustForcesave,
            7 => CallbackStatus::CorruptedForcesave,
            _ => return None,
        })
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    /// Statuses that carry the file to store (`url` is required).
    pub fn carries_file(self) -> bool {
        matches!(
            self,
            CallbackStatus::MustSave | CallbackStatus::MustForcesave
        )
    }

    /// The end of a session (2, 3): Docs will not call again about this key, so a refused save
    /// is final and the session is released.
    pub fn is_final_save(self) -> bool {
        matches!(self, CallbackStatus::MustSave | CallbackStatus::Corrupted)
    }

    /// A force save while editing goes on (6, 7): the key stays valid.
    pub fn is_forcesave(self) -> bool {
        matches!(
            self,
            CallbackStatus::MustForcesave | CallbackStatus::CorruptedForcesave
        )
    }
}

/// How to read a callback.
#[derive(Debug, Clone)]
pub struct CallbackSettings<'a> {
    /// The JWT secret; `None` or empty means JWT is off and the plain fields are read.
    pub secret: Option<&'a str>,
    pub leeway: u64,
    pub allowed_origins: AllowedOrigins,
    pub max_bytes: usize,
}

impl Default for CallbackSettings<'_> {
    fn default() -> Self {
        CallbackSettings {
            secret: None,
            leeway: DEFAULT_LEEWAY,
            allowed_origins: AllowedOrigins::default(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A validated callback.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub status: CallbackStatus,
    pub key: String,
    pub url: Option<String>,
    pub changesurl: Option<String>,
    pub formsdataurl: Option<String>,
    pub filetype: Option<String>,
    pub history: Option<Map<String, Value>>,
    pub users: Vec<String>,
    pub actions: Vec<Map<String, Value>>,
    pub forcesavetype: Option<i64>,
    pub userdata: Option<String>,
    pub lastsave: Option<String>,
    pub notmodified: bool,
    pub token_source: TokenSource,
}

/// Parse and validate a callback request: its body bytes and the value of the JWT header.
///
/// With a secret, only verified token data is read (the body `token` first, else the header token's
/// `payload`): for large payloads Docs trims `changesurl` and `history` from the header token and the
/// plain fields, and only the body token keeps them. Token problems are `Error::Token`; URLs off the
/// allowed origins are `Error::InvalidUrl`; everything else is `Error::Callback`.
pub fn parse_callback(
    body: &[u8],
    header_value: Option<&str>,
    settings: &CallbackSettings<'_>,
) -> Result<Callback> {
    if body.len() > settings.max_bytes {
        return Err(Error::callback(format!(
            "callback body of {} bytes exceeds the limit of {} bytes",
            body.len(),
            settings.max_bytes
        )));
    }
    if header_value.is_some_and(|h| h.len() > settings.max_bytes) {
        return Err(Error::callback(
            "callback header token exceeds the size limit",
        ));
    }
    let plain: Value = serde_json::from_slice(body)
        .map_err(|e| Error::callback(format!("callback body is not JSON: {e}")))?;
    let Value::Object(plain) = plain else {
        return Err(Error::callback("callback body is not a JSON object"));
    };
    let (data, token_source) = match settings.secret.filter(|s| !s.is_empty()) {
        Some(secret) => {
            let verifier = Verifier::new(secret).with_leeway(settings.leeway);
            incoming_payload(Some(&plain), header_value, &verifier)?
        }
        None => (plain, TokenSource::None),
    };
    from_data(data, token_source, &settings.allowed_origins)
}

fn from_data(
    mut data: Map<String, Value>,
    token_source: TokenSource,
    allowed: &AllowedOrigins,
) -> Result<Callback> {
    let code = match data.get("status") {
        Some(Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| Error::callback(format!("callback status {n} is not an integer")))?,
        Some(other) => {
            return Err(Error::callback(format!(
                "callback status {other} is not a number"
            )))
        }
        None => return Err(Error::callback("callback has no status")),
    };
    let status = CallbackStatus::from_code(code)
        .ok_or_else(|| Error::callback(format!("unknown callback status {code}")))?;

    let key =
        take_string(&mut data, "key")?.ok_or_else(|| Error::callback("callback has no key"))?;
    if !is_valid_key(&key) {
        return Err(Error::callback(format!(
            "callback key {:?} is not a document key (1-128 characters of 0-9 a-z A-Z - . _ =)",
            key.chars().take(140).collect::<String>()
        )));
    }

    let mut url_field = |name: &str| -> Result<Option<String>> {
        let value = take_string(&mut data, name)?.filter(|u| !u.is_empty());
        if let Some(url) = &value {
            allowed.check(url).map_err(|e| match e {
                Error::InvalidUrl { reason, .. } => Error::InvalidUrl {
                    reason,
                    message: format!("callback {name}: {e}"),
                    callback: Some(CallbackRef {
                        key: key.clone(),
                        status,
                    }),
                },
                other => other,
            })?;
        }
        Ok(value)
    };
    let url = url_field("url")?;
    let changesurl = url_field("changesurl")?;
    let formsdataurl = url_field("formsdataurl")?;
    if status.carries_file() && url.is_none() {
        return Err(Error::callback(format!(
            "callback status {code} carries no url"
        )));
    }

    let filetype = take_string(&mut data, "filetype")?;
    if let Some(ft) = &filetype {
        if ft.is_empty() || ft.len() > 16 || !ft.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::callback(format!(
                "callback filetype {ft:?} is not a file extension"
            )));
        }
    }
    let filetype = filetype.map(|ft| ft.to_ascii_lowercase());

    let history = match data.remove("history") {
        None | Some(Value::Null) => None,
        Some(Value::Object(h)) => Some(h),
        Some(_) => return Err(Error::callback("callback history is not an object")),
    };
    let users = match data.remove("users") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|u| match u {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(Error::callback(format!(
                    "callback user id {other} is not a string"
                ))),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(Error::callback("callback users is not a list")),
    };
    let actions = match data.remove("actions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|a| match a {
                Value::Object(a) => Ok(a),
                other => Err(Error::callback(format!(
                    "callback action {other} is not an object"
                ))),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(Error::callback("callback actions is not a list")),
    };
    let forcesavetype = match data.remove("forcesavetype") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(other) => {
            return Err(Error::callback(format!(
                "callback forcesavetype {other} is not an integer"
            )))
        }
    };
    let userdata = take_string(&mut data, "userdata")?;
    let lastsave = take_string(&mut data, "lastsave")?;
    let notmodified = match data.remove("notmodified") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(other) => {
            return Err(Error::callback(format!(
                "callback notmodified {other} is not a boolean"
            )))
        }
    };
    Ok(Callback {
        status,
        key,
        url,
        changesurl,
        formsdataurl,
        filetype,
        history,
        users,
        actions,
        forcesavetype,
        userdata,
        lastsave,
        notmodified,
        token_source,
    })
}

fn take_string(data: &mut Map<String, Value>, name: &str) -> Result<Option<String>> {
    match data.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(Error::callback(format!(
            "callback {name} {other} is not a string"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TokenErrorKind;
    use crate::tokens::Algorithm::HS256;
    use crate::tokens::{sign_header_token, sign_token};
    use proptest::prelude::*;
    use serde_json::json;

    const SECRET: &str = "callback-secret";
    const DOCS: &str = "https://docs.example.com";

    fn settings(secret: Option<&str>) -> CallbackSettings<'_> {
        CallbackSettings {
            secret,
            allowed_origins: AllowedOrigins::parse(&[DOCS]).unwrap(),
            ..CallbackSettings::default()
        }
    }

    fn saved() -> Value {
        json!({
            "key": "uid.abc",
            "status": 2,
            "url": "https://docs.example.com/cache/files/data/uid.abc/output.docx?md5=x",
            "changesurl": "https://docs.example.com/cache/files/data/uid.abc/changes.zip?md5=y",
            "history": {"serverVersion": "9.0.0", "changes": [{"created": "2025-01-01 10:00:00", "user": {"id": "u1", "name": "A"}}]},
            "users": ["u1"],
            "actions": [{"type": 0, "userid": "u1"}],
            "filetype": "docx",
            "lastsave": "2025-01-01T10:00:00.000Z",
            "notmodified": false
        })
    }

    #[test]
    fn plain_callback_without_jwt() {
        let body = serde_json::to_vec(&saved()).unwrap();
        let cb = parse_callback(&body, None, &settings(None)).unwrap();
        assert_eq!(cb.status, CallbackStatus::MustSave);
        assert_eq!(cb.key, "uid.abc");
        assert_eq!(cb.users, ["u1"]);
        assert_eq!(cb.actions.len(), 1);
        assert_eq!(cb.filetype.as_deref(), Some("docx"));
        assert_eq!(cb.token_source, TokenSource::None);
        assert!(cb.history.unwrap().contains_key("changes"));
    }

    #[test]
    fn body_token_wins_over_trimmed_header_and_plain_fields() {
        let full = saved();
        let mut trimmed = full.clone();
        trimmed.as_object_mut().unwrap().remove("changesurl");
        trimmed["history"] = json!({});
        let mut body = trimmed.clone();
        body["token"] = sign_token(full.as_object().unwrap().clone(), SECRET, HS256, Some(300))
            .unwrap()
            .into();
        let header = format!(
            "Bearer {}",
            sign_header_token(trimmed, SECRET, HS256, Some(300)).unwrap()
        );
        let cb = parse_callback(
            &serde_json::to_vec(&body).unwrap(),
            Some(&header),
            &settings(Some(SECRET)),
        )
        .unwrap();
        assert_eq!(cb.token_source, TokenSource::Body);
        assert!(cb.changesurl.is_some());
        assert!(cb.history.unwrap().contains_key("changes"));
    }

    #[test]
    fn header_token_is_read_when_body_has_none() {
        let header = sign_header_token(saved(), SECRET, HS256, Some(300)).unwrap();
        let cb = parse_callback(
            br#"{"status": 4, "key": "forged"}"#,
            Some(&header),
            &settings(Some(SECRET)),
        )
        .unwrap();
        assert_eq!(cb.token_source, TokenSource::Header);
        assert_eq!(
            cb.status,
            CallbackStatus::MustSave,
            "token data, not plain fields"
        );
    }

    #[test]
    fn jwt_on_without_token_is_missing() {
        let body = serde_json::to_vec(&saved()).unwrap();
        let err = parse_callback(&body, None, &settings(Some(SECRET))).unwrap_err();
        assert!(matches!(err, Error::Token(TokenErrorKind::Missing, _)));
        let err = parse_callback(&body, Some("Bearer x.y.z"), &settings(Some(SECRET))).unwrap_err();
        assert!(
            matches!(err, Error::Token(TokenErrorKind::Malformed, _)),
            "{err:?}"
        );
    }

    #[test]
    fn rejections_say_why() {
        let s = settings(None);
        let cases: &[(&str, &str)] = &[
            (r#"[1]"#, "not a JSON object"),
            (r#"{"status": 2"#, "not JSON"),
            (r#"{"key": "k"}"#, "no status"),
            (r#"{"key": "k", "status": 5}"#, "unknown callback status 5"),
            (r#"{"key": "k", "status": "2"}"#, "not a number"),
            (r#"{"key": "k", "status": 2.5}"#, "not an integer"),
            (r#"{"status": 1}"#, "no key"),
            (r#"{"status": 1, "key": "a/b"}"#, "not a document key"),
            (r#"{"status": 2, "key": "k"}"#, "carries no url"),
            (
                r#"{"status": 1, "key": "k", "users": "u"}"#,
                "users is not a list",
            ),
            (
                r#"{"status": 1, "key": "k", "actions": [1]}"#,
                "not an object",
            ),
            (
                r#"{"status": 1, "key": "k", "filetype": "../x"}"#,
                "not a file extension",
            ),
            (
                r#"{"status": 1, "key": "k", "notmodified": "no"}"#,
                "not a boolean",
            ),
            (
                r#"{"status": 6, "key": "k", "url": "https://docs.example.com/x", "forcesavetype": "1"}"#,
                "forcesavetype",
            ),
        ];
        for (body, why) in cases {
            let err = parse_callback(body.as_bytes(), None, &s).unwrap_err();
            assert!(matches!(err, Error::Callback(_)), "{body}: {err:?}");
            assert!(err.to_string().contains(why), "{body}: {err}");
        }
    }

    #[test]
    fn urls_off_the_docs_origins_are_refused() {
        for url in [
            "file:///etc/passwd",
            "https://evil.example/x",
            "https://docs.example.com@evil/x",
            "https://docs.example.com:444/x",
        ] {
            let body = json!({"status": 2, "key": "k", "url": url});
            let err = parse_callback(&serde_json::to_vec(&body).unwrap(), None, &settings(None))
                .unwrap_err();
            let Error::InvalidUrl {
                callback: Some(CallbackRef { key, status }),
                ..
            } = &err
            else {
                panic!("{url}: {err:?}");
            };
            assert_eq!((key.as_str(), *status), ("k", CallbackStatus::MustSave));
            assert!(err.to_string().starts_with("callback url:"));
        }
        let body = json!({"status": 2, "key": "k", "url": "https://docs.example.com/x", "changesurl": "http://evil/"});
        let err =
            parse_callback(&serde_json::to_vec(&body).unwrap(), None, &settings(None)).unwrap_err();
        assert!(err.to_string().starts_with("callback changesurl:"));
    }

    #[test]
    fn a_refused_url_names_the_signed_key_and_status() {
        let signed = json!({"status": 3, "key": "uid.signed", "url": "https://evil.example/x"});
        let mut body = json!({"status": 1, "key": "uid.plain"});
        body["token"] = sign_token(signed.as_object().unwrap().clone(), SECRET, HS256, Some(60))
            .unwrap()
            .into();
        let err = parse_callback(
            &serde_json::to_vec(&body).unwrap(),
            None,
            &settings(Some(SECRET)),
        )
        .unwrap_err();
        let Error::InvalidUrl {
            reason,
            callback: Some(callback),
            ..
        } = err
        else {
            panic!("{err:?}");
        };
        assert_eq!(reason, crate::error::UrlReason::Origin);
        assert_eq!(
            callback,
            CallbackRef {
                key: "uid.signed".into(),
                status: CallbackStatus::Corrupted
            }
        );
    }

    #[test]
    fn status_groups() {
        let all = [1, 2, 3, 4, 6, 7].map(|c| CallbackStatus::from_code(c).unwrap());
        let codes = |f: fn(CallbackStatus) -> bool| -> Vec<u8> {
            all.iter().filter(|s| f(**s)).map(|s| s.code()).collect()
        };
        assert_eq!(codes(CallbackStatus::is_final_save), [2, 3]);
        assert_eq!(codes(CallbackStatus::is_forcesave), [6, 7]);
        assert_eq!(codes(CallbackStatus::carries_file), [2, 6]);
        assert_eq!(CallbackStatus::from_code(5), None);
    }

    #[test]
    fn oversize_payloads_are_refused() {
        let s = CallbackSettings {
            max_bytes: 100,
            ..settings(None)
        };
        let body = format!(
            r#"{{"status": 1, "key": "k", "userdata": "{}"}}"#,
            "x".repeat(200)
        );
        let err = parse_callback(body.as_bytes(), None, &s).unwrap_err();
        assert!(err.to_string().contains("exceeds the limit of 100 bytes"));
    }

    proptest! {
        #[test]
        fn never_panics_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..300), header in proptest::option::of("\\PC{0,80}")) {
            let _ = parse_callback(&body, header.as_deref(), &settings(None));
            let _ = parse_callback(&body, header.as_deref(), &settings(Some(SECRET)));
        }

        #[test]
        fn never_panics_on_json_shaped_input(
            status in proptest::option::of(-2i64..10),
            key in "[ -~]{0,20}",
            url in "[ -~]{0,40}",
            extra in proptest::collection::btree_map("[a-z]{1,12}", any::<i64>(), 0..4),
        ) {
            let mut body = json!({"key": key, "url": url, "changesurl": url, "users": ["u"]});
            if let Some(status) = status { body["status"] = status.into(); }
            for (k, v) in extra { body[k] = v.into(); }
            let bytes = serde_json::to_vec(&body).unwrap();
            if let Ok(cb) = parse_callback(&bytes, None, &settings(None)) {
                prop_assert!(is_valid_key(&cb.key));
            }
        }
    }
}
