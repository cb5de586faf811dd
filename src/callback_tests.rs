//! Parsing and validating Docs' callbacks: what is accepted, what is refused and why.

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
fn a_caller_s_value_is_never_echoed_whole() {
    let s = settings(None);
    let huge = "Z".repeat(300_000);
    for body in [
        json!({"status": 1, "key": "k", "users": [huge]}),
        json!({"status": 1, "key": "k", "users": [[huge]]}),
        json!({"status": 1, "key": "k", "notmodified": huge}),
        json!({"status": 1, "key": "k", "userdata": [huge]}),
        json!({"status": huge, "key": "k"}),
        json!({"status": 1, "key": "k", "history": {"changes": [{"user": {"name": huge}}]}}),
    ] {
        let err = parse_callback(body.to_string().as_bytes(), None, &s).unwrap_err();
        assert!(matches!(err, Error::Callback(_)), "{err:?}");
        assert!(err.to_string().len() < 300, "{}", err.to_string().len());
    }
    let fine = json!({"status": 1, "key": "k", "users": ["u".repeat(MAX_USER_ID)],
        "history": {"changes": [{"user": {"id": "u", "name": "Ann"}}, {"created": "x"}]}});
    assert!(parse_callback(fine.to_string().as_bytes(), None, &s).is_ok());
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
        (
            r#"{"status": 1, "key": "k", "history": {"changes": 5}}"#,
            "history changes is not a list",
        ),
        (
            r#"{"status": 1, "key": "k", "history": {"changes": ["x"]}}"#,
            "history change is not an object",
        ),
        (
            r#"{"status": 1, "key": "k", "history": {"changes": [{"user": "bob"}]}}"#,
            "history user is not an object",
        ),
        (
            r#"{"status": 1, "key": "k", "history": {"changes": [{"user": {"id": 7}}]}}"#,
            "history user id is not a text",
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
        let err =
            parse_callback(&serde_json::to_vec(&body).unwrap(), None, &settings(None)).unwrap_err();
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
