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
                "callback status {} is not a number",
                brief(other)
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
                "callback filetype {} is not a file extension",
                brief(&Value::String(ft.clone()))
            )));
        }
    }
    let filetype = filetype.map(|ft| ft.to_ascii_lowercase());

    let history = match data.remove("history") {
        None | Some(Value::Null) => None,
        Some(Value::Object(h)) => {
            check_history(&h)?;
            Some(h)
        }
        Some(_) => return Err(Error::callback("callback history is not an object")),
    };
    let users = match data.remove("users") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.into_iter().map(user_id).collect::<Result<_>>()?,
        Some(_) => return Err(Error::callback("callback users is not a list")),
    };
    let actions = match data.remove("actions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|a| match a {
                Value::Object(a) => Ok(a),
                other => Err(Error::callback(format!(
                    "callback action {} is not an object",
                    brief(&other)
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
                "callback forcesavetype {} is not an integer",
                brief(&other)
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
                "callback notmodified {} is not a boolean",
                brief(&other)
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
            "callback {name} {} is not a string",
            brief(&other)
        ))),
    }
}

/// The longest user id a callback may name. Docs gives back the ids Plone put in the
/// editor's config (Plone's user ids: a login or an e-mail address).
pub const MAX_USER_ID: usize = 1024;

/// A user id of the callback's ``users`` (Docs may send a number as a number).
fn user_id(value: Value) -> Result<String> {
    let id = match value {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        other => {
            return Err(Error::callback(format!(
                "callback user id {} is not a string",
                brief(&other)
            )))
        }
    };
    if id.len() > MAX_USER_ID {
        return Err(Error::callback(format!(
            "callback user id is longer than {MAX_USER_ID} bytes"
        )));
    }
    Ok(id)
}

/// ``history.changes``, when present, is a list of changes, each naming its author as Docs
/// does (``user``: an object whose ``id`` and ``name`` are texts): the save takes its author
/// and its version comment from them.
fn check_history(history: &Map<String, Value>) -> Result<()> {
    let changes = match history.get("changes") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(changes)) => changes,
        Some(_) => return Err(Error::callback("callback history changes is not a list")),
    };
    for change in changes {
        let Value::Object(change) = change else {
            return Err(Error::callback("callback history change is not an object"));
        };
        match change.get("user") {
            None | Some(Value::Null) => {}
            Some(Value::Object(user)) => {
                for field in ["id", "name"] {
                    match user.get(field) {
                        None | Some(Value::Null) => {}
                        Some(Value::String(text)) if text.len() <= MAX_USER_ID => {}
                        Some(_) => {
                            return Err(Error::callback(format!(
                                "callback history user {field} is not a text of at most \
                                 {MAX_USER_ID} bytes"
                            )))
                        }
                    }
                }
            }
            Some(_) => return Err(Error::callback("callback history user is not an object")),
        }
    }
    Ok(())
}

/// A caller's JSON value as an error message may show it: at most 60 characters.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
#[path = "callback_tests.rs"]
mod tests;
