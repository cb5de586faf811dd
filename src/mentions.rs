//! Mentions in comments: what the editor's `onRequestSendNotify` carries (`emails`, `message`,
//! `actionLink`) and the `editorConfig.actionLink` that reopens the editor at that comment.
//!
//! Everything here is bounded: a notification names a few people, its message is cut to a
//! length an e-mail can carry, and an action link is a small object of a known shape.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The kinds of place an action link points at (`onMakeActionLink`, `onRequestSendNotify`).
pub const ACTION_TYPES: [&str; 2] = ["comment", "bookmark"];
/// Longest `action.data` (a comment's id, a bookmark's name) accepted.
pub const MAX_ACTION_DATA: usize = 256;
/// Longest action link accepted as JSON text (a URL's query, a REST parameter).
pub const MAX_ACTION_LINK_TEXT: usize = 2048;
/// Most addresses one notification may name.
pub const MAX_EMAILS: usize = 20;
/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;
/// The comment's text in a notification is cut to this many characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// A checked `onRequestSendNotify` payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Notify {
    /// Distinct addresses (compared without case), in the order given.
    pub emails: Vec<String>,
    /// The comment's text without control characters (line breaks and tabs kept), cut to
    /// [`MAX_MESSAGE_CHARS`].
    pub message: String,
    /// Was the message longer than [`MAX_MESSAGE_CHARS`]?
    pub truncated: bool,
    /// The canonical action link (see [`action_link`]).
    pub action_link: Value,
}

/// The canonical `{"action": {"type", "data"}}` of an action link, or why it is refused.
/// Members other than `action.type` and `action.data` are dropped: the link only ever says
/// where to scroll to.
pub fn action_link(value: &Value) -> Result<Value> {
    let action = value
        .get("action")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::argument("an action link is an object with an \"action\" object"))?;
    let kind = match action.get("type") {
        Some(Value::String(t)) if ACTION_TYPES.contains(&t.as_str()) => t.clone(),
        _ => {
            return Err(Error::argument(format!(
                "an action link's type is one of {}",
                ACTION_TYPES.join(", ")
            )))
        }
    };
    let data = match action.get("data") {
        Some(Value::String(d)) => d.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(Error::argument("an action link's data is a string")),
    };
    if data.is_empty()
        || data.chars().count() > MAX_ACTION_DATA
        || data.chars().any(char::is_control)
    {
        return Err(Error::argument(format!(
            "an action link's data is 1-{MAX_ACTION_DATA} characters without control characters"
        )));
    }
    let mut inner = Map::new();
    inner.insert("type".into(), Value::String(kind));
    inner.insert("data".into(), Value::String(data));
    let mut outer = Map::new();
    outer.insert("action".into(), Value::Object(inner));
    Ok(Value::Object(outer))
}

/// [`action_link`] of JSON text (at most [`MAX_ACTION_LINK_TEXT`] bytes).
pub fn action_link_text(text: &str) -> Result<Value> {
    if text.len() > MAX_ACTION_LINK_TEXT {
        return Err(Error::argument(format!(
            "an action link is at most {MAX_ACTION_LINK_TEXT} bytes of JSON"
        )));
    }
    let value: Value =
        serde_json::from_str(text).map_err(|_| Error::argument("an action link is JSON text"))?;
    action_link(&value)
}

/// Is `address` shaped like an e-mail address (one `@`, something on each side, no spaces,
/// no control characters, at most [`MAX_EMAIL`] bytes)? Whether it is a user's is Plone's.
pub fn is_email(address: &str) -> bool {
    if address.is_empty() || address.len() > MAX_EMAIL {
        return false;
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match address.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    }
}

fn clean_message(text: &str) -> (String, bool) {
    let kept = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .map(|c| if c == '\t' { ' ' } else { c });
    let mut out = String::new();
    let mut truncated = false;
    for (count, c) in kept.enumerate() {
        if count == MAX_MESSAGE_CHARS {
            truncated = true;
            break;
        }
        out.push(c);
    }
    if truncated {
        out.push('…');
    }
    (out.trim().to_string(), truncated)
}

/// Check an `onRequestSendNotify` payload: `emails` (1 to [`MAX_EMAILS`] addresses), `message`
/// (a string, may be empty) and `actionLink`.
pub fn notify_request(value: &Value) -> Result<Notify> {
    let object = value
        .as_object()
        .ok_or_else(|| Error::argument("a notification is an object"))?;
    let emails = match object.get("emails") {
        Some(Value::Array(items)) => items,
        _ => return Err(Error::argument("a notification names its emails in a list")),
    };
    if emails.is_empty() {
        return Err(Error::argument(
            "a notification names at least one e-mail address",
        ));
    }
    if emails.len() > MAX_EMAILS {
        return Err(Error::argument(format!(
            "a notification names at most {MAX_EMAILS} e-mail addresses"
        )));
    }
    let mut distinct: Vec<String> = Vec::new();
    for item in emails {
        let address = item.as_str().map(str::trim).unwrap_or_default();
        if !is_email(address) {
            return Err(Error::argument(
                "every entry of emails is one e-mail address",
            ));
        }
        if !distinct.iter().any(|d| d.eq_ignore_ascii_case(address)) {
            distinct.push(address.to_string());
        }
    }
    let (message, truncated) = match object.get("message") {
        Some(Value::String(text)) => clean_message(text),
        None | Some(Value::Null) => (String::new(), false),
        _ => return Err(Error::argument("a notification's message is a string")),
    };
    let link = object
        .get("actionLink")
        .ok_or_else(|| Error::argument("a notification needs its actionLink"))?;
    Ok(Notify {
        emails: distinct,
        message,
        truncated,
        action_link: action_link(link)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn action_links_are_canonical() {
        let link =
            action_link(&json!({"action": {"type": "comment", "data": "c1", "x": 1}, "y": 2}))
                .unwrap();
        assert_eq!(link, json!({"action": {"type": "comment", "data": "c1"}}));
        assert_eq!(
            action_link(&json!({"action": {"type": "bookmark", "data": 7}})).unwrap(),
            json!({"action": {"type": "bookmark", "data": "7"}})
        );
        for bad in [
            json!(null),
            json!({"action": "comment"}),
            json!({"action": {"type": "script", "data": "c1"}}),
            json!({"action": {"type": "comment", "data": ""}}),
            json!({"action": {"type": "comment", "data": "a\u{0}b"}}),
            json!({"action": {"type": "comment", "data": "x".repeat(257)}}),
            json!({"action": {"type": "comment"}}),
        ] {
            assert!(action_link(&bad).is_err(), "{bad}");
        }
        assert!(action_link_text("{").is_err());
        assert!(action_link_text(&format!("\"{}\"", "x".repeat(3000))).is_err());
        assert_eq!(
            action_link_text(r#"{"action":{"type":"comment","data":"1_2"}}"#).unwrap()["action"]
                ["data"],
            "1_2"
        );
    }

    #[test]
    fn notifications_are_bounded() {
        let n = notify_request(&json!({
            "emails": ["a@example.com", "A@example.com", " b@example.com "],
            "message": "hello\u{7}\tthere\n<b>",
            "actionLink": {"action": {"type": "comment", "data": "c"}}
        }))
        .unwrap();
        assert_eq!(n.emails, vec!["a@example.com", "b@example.com"]);
        assert_eq!(n.message, "hello there\n<b>");
        assert!(!n.truncated);
        let long = notify_request(&json!({
            "emails": ["a@example.com"], "message": "é".repeat(5000),
            "actionLink": {"action": {"type": "comment", "data": "c"}}
        }))
        .unwrap();
        assert!(long.truncated);
        assert_eq!(long.message.chars().count(), MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn bad_notifications_are_refused() {
        let link = json!({"action": {"type": "comment", "data": "c"}});
        let many: Vec<String> = (0..21).map(|i| format!("u{i}@example.com")).collect();
        for bad in [
            json!([]),
            json!({"emails": [], "actionLink": link}),
            json!({"emails": "a@example.com", "actionLink": link}),
            json!({"emails": ["not an address"], "actionLink": link}),
            json!({"emails": ["a@b@c"], "actionLink": link}),
            json!({"emails": [1], "actionLink": link}),
            json!({"emails": many, "actionLink": link}),
            json!({"emails": ["a@example.com"], "message": 3, "actionLink": link}),
            json!({"emails": ["a@example.com"]}),
        ] {
            assert!(notify_request(&bad).is_err(), "{bad}");
        }
        assert!(!is_email(&format!("{}@example.com", "a".repeat(250))));
    }
}
