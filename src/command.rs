//! The command service: `POST <docs>/command` and its JSON replies.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::keys::is_valid_key;
use crate::request::{json_post, with_shardkey, HttpRequest, RequestSigning};
use crate::urls::join;

/// The commands Docs' command service knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Version,
    Info,
    Forcesave,
    Drop,
    Meta,
    GetForgotten,
    GetForgottenList,
    DeleteForgotten,
    License,
}

impl Command {
    pub const ALL: [Command; 9] = [
        Command::Version,
        Command::Info,
        Command::Forcesave,
        Command::Drop,
        Command::Meta,
        Command::GetForgotten,
        Command::GetForgottenList,
        Command::DeleteForgotten,
        Command::License,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Command::Version => "version",
            Command::Info => "info",
            Command::Forcesave => "forcesave",
            Command::Drop => "drop",
            Command::Meta => "meta",
            Command::GetForgotten => "getForgotten",
            Command::GetForgottenList => "getForgottenList",
            Command::DeleteForgotten => "deleteForgotten",
            Command::License => "license",
        }
    }

    pub fn parse(name: &str) -> Result<Self> {
        Command::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| {
                let known: Vec<_> = Command::ALL.iter().map(|c| c.as_str()).collect();
                Error::argument(format!(
                    "unknown command {name:?}; known: {}",
                    known.join(", ")
                ))
            })
    }

    /// Commands about one document: they need a key (and get a shardkey).
    pub fn needs_key(self) -> bool {
        !matches!(
            self,
            Command::Version | Command::GetForgottenList | Command::License
        )
    }

    /// Error codes that are answers rather than failures for this command: `forcesave` 4 (nothing
    /// changed since the last save) and `info` 1 (no editing session has this key).
    pub fn is_answer(self, code: i64) -> bool {
        matches!((self, code), (Command::Forcesave, 4) | (Command::Info, 1))
    }
}

/// What to send with a command.
#[derive(Debug, Clone, Default)]
pub struct CommandInput {
    pub key: Option<String>,
    pub userdata: Option<String>,
    pub users: Option<Vec<String>>,
    pub meta: Option<Map<String, Value>>,
}

/// Build a command request.
pub fn command_request(
    docs_url: &str,
    command: Command,
    input: &CommandInput,
    signing: Option<RequestSigning<'_>>,
    shardkey: bool,
) -> Result<HttpRequest> {
    let mut body = Map::new();
    body.insert("c".into(), command.as_str().into());
    let key = input.key.as_deref().filter(|k| !k.is_empty());
    match key {
        Some(key) if !is_valid_key(key) => {
            return Err(Error::argument(format!(
                "key {key:?} is not 1-128 characters of 0-9 a-z A-Z - . _ ="
            )));
        }
        Some(key) => {
            body.insert("key".into(), key.into());
        }
        None if command.needs_key() => {
            return Err(Error::argument(format!(
                "command {:?} needs a key",
                command.as_str()
            )));
        }
        None => {}
    }
    if let Some(userdata) = &input.userdata {
        body.insert("userdata".into(), userdata.clone().into());
    }
    if let Some(users) = &input.users {
        if command != Command::Drop {
            return Err(Error::argument("only the drop command takes users"));
        }
        body.insert(
            "users".into(),
            users.iter().cloned().map(Value::from).collect(),
        );
    }
    match (&input.meta, command) {
        (Some(meta), Command::Meta) => {
            body.insert("meta".into(), Value::Object(meta.clone()));
        }
        (None, Command::Meta) => {
            return Err(Error::argument(
                "the meta command needs meta, e.g. {\"title\": …}",
            ))
        }
        (Some(_), _) => return Err(Error::argument("only the meta command takes meta")),
        (None, _) => {}
    }
    let mut url = join(docs_url, "command")?;
    if let (true, Some(key)) = (shardkey, key) {
        url = with_shardkey(url, key);
    }
    json_post(url, body, signing)
}

/// The plain-words meaning of a command service error code.
pub fn command_error_message(code: i64) -> &'static str {
    match code {
        0 => "no error",
        1 => "the document key is missing, or no document with this key is open in Docs",
        2 => "the callback URL is not correct",
        3 => "internal error of Docs",
        4 => "the document was not changed since it was last saved, so there was nothing to save",
        5 => "the command is not correct",
        6 => "the command's token is invalid (check the JWT secret and header)",
        7 => "the command's token has expired (check the clocks of Plone and Docs)",
        _ => "unknown Docs command error code",
    }
}

/// What a command error code means for the caller's own reply: the token ones (6, 7) are
/// "TokenRefused", the rest "CommandError"; both are Docs' failures (502).
pub fn command_failure(code: i64) -> (&'static str, u16) {
    match code {
        6 | 7 => ("TokenRefused", 502),
        _ => ("CommandError", 502),
    }
}

/// A command reply.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandResult {
    pub error: i64,
    pub key: Option<String>,
    pub version: Option<String>,
    pub url: Option<String>,
    pub keys: Vec<String>,
    pub users: Vec<String>,
    pub raw: Map<String, Value>,
}

/// Parse a command reply. A nonzero `error` is `Error::Docs`, except the codes that answer the
/// command (see [`Command::is_answer`]), which come back in `CommandResult::error`.
pub fn parse_command_response(command: Command, body: &[u8]) -> Result<CommandResult> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::protocol(format!("command reply is not JSON: {e}")))?;
    let Value::Object(raw) = value else {
        return Err(Error::protocol("command reply is not a JSON object"));
    };
    let error = match raw.get("error") {
        Some(e) => e
            .as_i64()
            .ok_or_else(|| Error::protocol(format!("command reply error {e} is not an integer")))?,
        None => return Err(Error::protocol("command reply has no error field")),
    };
    if error != 0 && !command.is_answer(error) {
        let (kind, http_status) = command_failure(error);
        return Err(Error::Docs {
            code: error,
            message: command_error_message(error).to_owned(),
            kind,
            http_status,
        });
    }
    let string = |name: &str| raw.get(name).and_then(Value::as_str).map(str::to_owned);
    let strings = |name: &str| -> Vec<String> {
        raw.get(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(CommandResult {
        error,
        key: string("key"),
        version: string("version"),
        url: string("url"),
        keys: strings("keys"),
        users: strings("users"),
        raw: raw.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keyed(key: &str) -> CommandInput {
        CommandInput {
            key: Some(key.into()),
            ..CommandInput::default()
        }
    }

    #[test]
    fn builds_requests() {
        let req =
            command_request("http://docs/", Command::Forcesave, &keyed("k1"), None, true).unwrap();
        assert_eq!(req.url, "http://docs/command?shardkey=k1");
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(body, json!({"c": "forcesave", "key": "k1"}));
        let req = command_request(
            "http://docs",
            Command::Version,
            &CommandInput::default(),
            None,
            true,
        )
        .unwrap();
        assert_eq!(req.url, "http://docs/command");
        let input = CommandInput {
            users: Some(vec!["u1".into()]),
            ..keyed("k")
        };
        let body: Value = serde_json::from_slice(
            &command_request("http://d", Command::Drop, &input, None, false)
                .unwrap()
                .body,
        )
        .unwrap();
        assert_eq!(body["users"], json!(["u1"]));
    }

    #[test]
    fn refuses_bad_commands() {
        assert!(Command::parse("shutdown").is_err());
        assert!(command_request(
            "http://d",
            Command::Info,
            &CommandInput::default(),
            None,
            true
        )
        .is_err());
        assert!(command_request("http://d", Command::Meta, &keyed("k"), None, true).is_err());
        let input = CommandInput {
            users: Some(vec![]),
            ..keyed("k")
        };
        assert!(command_request("http://d", Command::Info, &input, None, true).is_err());
    }

    #[test]
    fn parses_replies() {
        let r = parse_command_response(Command::Version, br#"{"error":0,"version":"9.0.3.1"}"#)
            .unwrap();
        assert_eq!(r.version.as_deref(), Some("9.0.3.1"));
        let r = parse_command_response(
            Command::GetForgottenList,
            br#"{"error":0,"keys":["a","b"]}"#,
        )
        .unwrap();
        assert_eq!(r.keys, ["a", "b"]);
        let r = parse_command_response(Command::Forcesave, br#"{"error":4,"key":"k"}"#).unwrap();
        assert_eq!((r.error, r.key.as_deref()), (4, Some("k")));
        let r = parse_command_response(Command::Info, br#"{"error":1,"key":"k"}"#).unwrap();
        assert_eq!(r.error, 1);
        let err = parse_command_response(Command::Drop, br#"{"error":1}"#).unwrap_err();
        assert!(matches!(
            err,
            Error::Docs {
                code: 1,
                kind: "CommandError",
                http_status: 502,
                ..
            }
        ));
        let err = parse_command_response(Command::Forcesave, br#"{"error":6}"#).unwrap_err();
        assert!(err.to_string().contains("token is invalid"));
        assert!(matches!(
            err,
            Error::Docs {
                kind: "TokenRefused",
                ..
            }
        ));
        assert!(matches!(
            parse_command_response(Command::Info, b"nope"),
            Err(Error::Protocol(_))
        ));
        assert!(matches!(
            parse_command_response(Command::Info, b"{}"),
            Err(Error::Protocol(_))
        ));
    }
}
