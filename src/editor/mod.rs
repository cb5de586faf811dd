//! The editor config the page hands to `new DocsAPI.DocEditor(…)`, signed into its `token`.

use crate::tokens::Algorithm;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::formats::by_extension;
use crate::keys::is_valid_key;
use crate::locale::Locale;
use crate::tokens;
use crate::urls::parse_http_url;

mod input;

pub use input::{
    CoEditing, CoEditingMode, EditorConfigInput, EditorType, JsonObject, Mode, Permissions,
    Template, User, PERMISSION_FLAGS, PERMISSION_GROUPS,
};

#[derive(Serialize)]
struct Config<'a> {
    document: Document<'a>,
    #[serde(rename = "documentType")]
    document_type: &'static str,
    #[serde(rename = "editorConfig")]
    editor_config: EditorSection<'a>,
    #[serde(rename = "type")]
    editor_type: EditorType,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<&'a str>,
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "fileType")]
    file_type: String,
    key: &'a str,
    title: &'a str,
    url: &'a str,
    permissions: input::Resolved<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    info: Option<&'a JsonObject>,
    #[serde(rename = "referenceData", skip_serializing_if = "Option::is_none")]
    reference_data: Option<&'a JsonObject>,
    #[serde(rename = "isForm", skip_serializing_if = "Option::is_none")]
    is_form: Option<bool>,
}

#[derive(Serialize)]
struct EditorSection<'a> {
    #[serde(rename = "callbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
    mode: Mode,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a User>,
    #[serde(rename = "coEditing", skip_serializing_if = "Option::is_none")]
    co_editing: Option<CoEditing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customization: Option<&'a JsonObject>,
    #[serde(skip_serializing_if = "<[Template]>::is_empty")]
    templates: &'a [Template],
    #[serde(rename = "createUrl", skip_serializing_if = "Option::is_none")]
    create_url: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    extra: Option<&'a Map<String, Value>>,
}

const EDITOR_MEMBERS: [&str; 10] = [
    "callbackUrl",
    "mode",
    "lang",
    "region",
    "user",
    "coEditing",
    "customization",
    "templates",
    "createUrl",
    "token",
];

fn check_url(what: &str, url: &str) -> Result<()> {
    parse_http_url(url)
        .map(|_| ())
        .map_err(|e| Error::argument(format!("{what}: {e}")))
}

/// Signing options for the config token.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    pub secret: &'a str,
    pub algorithm: Algorithm,
    pub expires_in: Option<i64>,
}

/// Build the editor config as JSON text safe to embed in a `<script>` element, with the whole
/// config (without `token`) signed into `token` when `signing` is given, so the token's
/// permissions deep-equal the config's.
pub fn build_editor_config(
    input: &EditorConfigInput,
    signing: Option<Signing<'_>>,
) -> Result<String> {
    if !is_valid_key(&input.key) {
        return Err(Error::argument(format!(
            "document key {:?} is not 1-128 characters of 0-9 a-z A-Z - . _ =",
            input.key
        )));
    }
    check_url("document url", &input.url)?;
    if let Some(url) = &input.callback_url {
        check_url("callback url", url)?;
    }
    if let Some(url) = &input.create_url {
        check_url("create url", url)?;
    }
    for template in &input.templates {
        check_url("template url", &template.url)?;
    }
    let file_type = input
        .file_type
        .trim()
        .trim_start_matches('.')
        .to_ascii_lowercase();
    let document_type = match input.document_type {
        Some(t) => t,
        None => by_extension(&file_type)
            .and_then(|f| f.document_type)
            .ok_or_else(|| {
                Error::argument(format!(
                    "file type {file_type:?} is not a format Docs opens"
                ))
            })?,
    };
    if let Some(extra) = &input.editor_extra {
        if let Some(clash) = EDITOR_MEMBERS.iter().find(|m| extra.contains_key(**m)) {
            return Err(Error::argument(format!(
                "editor_extra may not set editorConfig.{clash}; use its own parameter"
            )));
        }
    }
    let locale = input.language.as_deref().map(Locale::parse);
    let lang = input
        .lang
        .clone()
        .or_else(|| locale.as_ref().map(Locale::editor_lang));
    let region = input
        .region
        .clone()
        .or_else(|| locale.as_ref().and_then(Locale::editor_region));
    let config = Config {
        document: Document {
            file_type,
            key: &input.key,
            title: &input.title,
            url: &input.url,
            permissions: input.permissions.resolved(input.mode),
            info: input.info.as_ref(),
            reference_data: input.reference_data.as_ref(),
            is_form: input.is_form,
        },
        document_type: document_type.as_str(),
        editor_config: EditorSection {
            callback_url: input.callback_url.as_deref(),
            mode: input.mode,
            lang: lang.as_deref(),
            region: region.as_deref(),
            user: input.user.as_ref(),
            co_editing: input.co_editing,
            customization: input.customization.as_ref(),
            templates: &input.templates,
            create_url: input.create_url.as_deref(),
            extra: input.editor_extra.as_ref(),
        },
        editor_type: input.editor_type,
        width: input.width.as_deref(),
        height: input.height.as_deref(),
    };
    // Serialize once: the token's claims are the config plus iat/exp, the output is the config
    // plus token; both are spliced onto the config object before its closing brace.
    let mut json = serde_json::to_string(&config)?;
    if let Some(s) = signing {
        json.pop(); // the config object's closing brace
        let open = json.len();
        let iat = tokens::now();
        json.push_str(&format!(",\"iat\":{iat}"));
        if let Some(exp) = s.expires_in.map(|e| iat.saturating_add(e)) {
            json.push_str(&format!(",\"exp\":{exp}"));
        }
        json.push('}');
        let token = tokens::sign_json(json.as_bytes(), s.secret, s.algorithm)?;
        json.truncate(open);
        // The token is base64url: nothing in it needs escaping.
        let mut out = escape_for_script(json);
        out.reserve(token.len() + 12);
        out.push_str(",\"token\":\"");
        out.push_str(&token);
        out.push_str("\"}");
        return Ok(out);
    }
    Ok(escape_for_script(json))
}

/// Escape `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX` so JSON text can sit inside `<script>`
/// (no `</script>`, no `<!--`) and in any JavaScript parser. In JSON these characters can only
/// occur inside strings, where the escapes mean the same characters.
pub fn escape_for_script(json: String) -> String {
    let bytes = json.as_bytes();
    let mut i = next_for_script(bytes, 0);
    if i == bytes.len() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 32);
    let mut plain = 0;
    while i < bytes.len() {
        let (escape, len) = match &bytes[i..] {
            [b'<', ..] => ("\\u003c", 1),
            [b'>', ..] => ("\\u003e", 1),
            [b'&', ..] => ("\\u0026", 1),
            [0xE2, 0x80, 0xA8, ..] => ("\\u2028", 3),
            [0xE2, 0x80, 0xA9, ..] => ("\\u2029", 3),
            _ => ("", 0), // another character starting with 0xE2: kept
        };
        if len > 0 {
            out.push_str(&json[plain..i]);
            out.push_str(escape);
            plain = i + len;
        }
        i = next_for_script(bytes, i + len.max(1));
    }
    out.push_str(&json[plain..]);
    out
}

/// The index of the next `<`, `>`, `&` or 0xE2 byte (which starts U+2028 and U+2029) at or
/// after `from`, or the length; sixteen bytes at a time with SSE2 (part of every x86-64), then
/// eight at a time.
fn next_for_script(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & (ONES << 7);
    #[cfg(target_arch = "x86_64")]
    let mut i = {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let mut i = from;
        while i + 16 <= bytes.len() {
            // SAFETY: bytes i..i + 16 are inside the slice (checked above), the load is
            // unaligned; SSE2 is part of the x86-64 baseline.
            let found = unsafe {
                let x = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
                let is = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
                _mm_movemask_epi8(_mm_or_si128(
                    _mm_or_si128(is(b'<'), is(b'>')),
                    _mm_or_si128(is(b'&'), is(0xE2)),
                ))
            };
            if found != 0 {
                return i + found.trailing_zeros() as usize;
            }
            i += 16;
        }
        i
    };
    #[cfg(not(target_arch = "x86_64"))]
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // The lowest flagged byte of each term is a true match.
        let found = zero_bytes(x ^ (ONES * u64::from(b'<')))
            | zero_bytes(x ^ (ONES * u64::from(b'>')))
            | zero_bytes(x ^ (ONES * u64::from(b'&')))
            | zero_bytes(x ^ (ONES * 0xE2));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2))
        .map_or(bytes.len(), |p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str = "editor-secret";

    fn input() -> EditorConfigInput {
        let mut input = EditorConfigInput::new(
            "uid.abc",
            "https://plone.example.com/doc/@@onlyoffice-download?t=1",
            "Report </script><script>alert(1)</script>.docx",
            "DOCX",
        );
        input.callback_url = Some("https://plone.example.com/doc/@@onlyoffice-callback".into());
        input.user = Some(User {
            id: "u1".into(),
            name: Some("Ann & Bob\u{2028}".into()),
            ..User::default()
        });
        input.lang = Some("en".into());
        input
    }

    fn parse(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn builds_the_config() {
        let v = parse(&build_editor_config(&input(), None).unwrap());
        assert_eq!(v["documentType"], "word");
        assert_eq!(v["type"], "desktop");
        assert_eq!(v["document"]["fileType"], "docx");
        assert_eq!(v["document"]["permissions"]["edit"], true);
        assert_eq!(
            v["document"]["permissions"]["deleteCommentAuthorOnly"],
            false
        );
        assert_eq!(v["editorConfig"]["mode"], "edit");
        assert_eq!(v["editorConfig"]["user"]["name"], "Ann & Bob\u{2028}");
        assert!(v.get("token").is_none());
        assert!(v["editorConfig"].get("templates").is_none());
    }

    #[test]
    fn is_script_safe() {
        let json = build_editor_config(
            &input(),
            Some(Signing {
                secret: SECRET,
                algorithm: Algorithm::HS256,
                expires_in: None,
            }),
        )
        .unwrap();
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!json.contains(bad), "{bad:?} in output");
        }
        assert!(json.contains("\\u003c/script\\u003e"));
    }

    #[test]
    fn token_carries_the_whole_config() {
        let mut input = input();
        input.mode = Mode::View;
        input.permissions.set("download", json!(false)).unwrap();
        input
            .permissions
            .set("reviewGroups", json!(["g1"]))
            .unwrap();
        let json = build_editor_config(
            &input,
            Some(Signing {
                secret: SECRET,
                algorithm: Algorithm::HS256,
                expires_in: Some(3600),
            }),
        )
        .unwrap();
        let mut v = parse(&json);
        let token = v.as_object_mut().unwrap().remove("token").unwrap();
        let mut claims =
            Value::Object(tokens::verify_token(token.as_str().unwrap(), SECRET, 0).unwrap());
        let obj = claims.as_object_mut().unwrap();
        assert!(
            obj.remove("exp").unwrap().as_i64().unwrap()
                > obj.remove("iat").unwrap().as_i64().unwrap()
        );
        assert_eq!(claims, v);
        assert_eq!(
            v["document"]["permissions"]["edit"], false,
            "view mode defaults edit off"
        );
        assert_eq!(v["document"]["permissions"]["download"], false);
        assert_eq!(v["document"]["permissions"]["reviewGroups"], json!(["g1"]));
    }

    #[test]
    fn permission_defaults_follow_docs() {
        let mut p = Permissions::default();
        p.set("edit", json!(false)).unwrap();
        p.set("review", json!(true)).unwrap();
        let r = p.resolve(Mode::Edit);
        assert_eq!(
            (
                r["edit"].clone(),
                r["comment"].clone(),
                r["fillForms"].clone()
            ),
            (json!(false), json!(false), json!(true))
        );
        assert!(p.set("admin", json!(true)).is_err());
        assert!(p.set("edit", json!("yes")).is_err());
        assert!(p.set("commentGroups", json!(1)).is_err());
    }

    #[test]
    fn lesser_sessions_get_the_least_they_need() {
        for lesser in ["review", "comment", "fillForms"] {
            let mut p = Permissions::default();
            p.set("edit", json!(false)).unwrap();
            p.set(lesser, json!(true)).unwrap();
            let r = p.resolve(Mode::Edit);
            for (name, value) in [
                ("editCommentAuthorOnly", true),
                ("deleteCommentAuthorOnly", true),
                ("protect", false),
                ("modifyContentControl", false),
                ("modifyFilter", false),
                ("edit", false),
            ] {
                assert_eq!(r[name], json!(value), "{lesser}: {name}");
            }
        }
        // A full editing session keeps Docs' defaults; explicit flags still win.
        let full = Permissions::default().resolve(Mode::Edit);
        for (name, value) in [
            ("editCommentAuthorOnly", false),
            ("deleteCommentAuthorOnly", false),
            ("protect", true),
            ("modifyContentControl", true),
            ("modifyFilter", true),
        ] {
            assert_eq!(full[name], json!(value), "full: {name}");
        }
        let mut p = Permissions::default();
        p.set("edit", json!(false)).unwrap();
        p.set("protect", json!(true)).unwrap();
        assert_eq!(p.resolve(Mode::Edit)["protect"], json!(true));
    }

    #[test]
    fn optional_members() {
        let mut input = input();
        input.templates = vec![Template {
            title: "Blank".into(),
            url: "https://plone.example.com/t".into(),
            image: None,
        }];
        input.create_url = Some("https://plone.example.com/create".into());
        input.co_editing = Some(CoEditing {
            mode: CoEditingMode::Strict,
            change: false,
        });
        input.customization = Some(
            json!({"forcesave": true, "goback": {"url": "https://plone.example.com"}})
                .as_object()
                .unwrap()
                .clone()
                .into(),
        );
        input.editor_type = EditorType::Mobile;
        input.region = Some("de-DE".into());
        input.editor_extra = Some(json!({"recent": []}).as_object().unwrap().clone());
        let v = parse(&build_editor_config(&input, None).unwrap());
        assert_eq!(v["editorConfig"]["templates"][0]["title"], "Blank");
        assert_eq!(
            v["editorConfig"]["createUrl"],
            "https://plone.example.com/create"
        );
        assert_eq!(
            v["editorConfig"]["coEditing"],
            json!({"mode": "strict", "change": false})
        );
        assert_eq!(v["editorConfig"]["customization"]["forcesave"], true);
        assert_eq!(v["editorConfig"]["recent"], json!([]));
        assert_eq!(v["type"], "mobile");
    }

    #[test]
    fn lang_and_region_follow_the_negotiated_language() {
        let editor = |language: &str, lang: Option<&str>, region: Option<&str>| {
            let mut input = input();
            input.language = Some(language.into());
            input.lang = lang.map(Into::into);
            input.region = region.map(Into::into);
            let v = parse(&build_editor_config(&input, None).unwrap());
            (
                v["editorConfig"]["lang"].clone(),
                v["editorConfig"]["region"].clone(),
            )
        };
        assert_eq!(editor("de", None, None), (json!("de"), json!("de-DE")));
        assert_eq!(editor("pt-br", None, None), (json!("pt"), json!("pt-BR")));
        assert_eq!(editor("zh-cn", None, None), (json!("zh"), json!("zh-CN")));
        assert_eq!(
            editor("zh-tw", None, None),
            (json!("zh-TW"), json!("zh-TW"))
        );
        // Given ones win over the derived ones.
        assert_eq!(
            editor("de", Some("fr"), Some("fr-CH")),
            (json!("fr"), json!("fr-CH"))
        );
        // An unknown language has no region: Docs derives it from lang or takes en-US.
        assert_eq!(editor("eo", None, None), (json!("eo"), Value::Null));
    }

    #[test]
    fn refuses_bad_input() {
        let mut i = input();
        i.key = "a/b".into();
        assert!(build_editor_config(&i, None).is_err());
        let mut i = input();
        i.url = "file:///etc/passwd".into();
        assert!(build_editor_config(&i, None).is_err());
        let mut i = input();
        i.file_type = "exe".into();
        assert!(build_editor_config(&i, None).is_err());
        let mut i = input();
        i.editor_extra = Some(json!({"mode": "edit"}).as_object().unwrap().clone());
        assert!(build_editor_config(&i, None).is_err());
        assert!(Mode::parse("review").is_err());
        assert!(EditorType::parse("tablet").is_err());
    }

    proptest::proptest! {
        #[test]
        fn escape_for_script_escapes_exactly_the_five(
            // Plain runs between the characters, so long stretches are searched in blocks too.
            text in "(a{0,40}|[<>&\u{2028}\u{2029}\u{2027}\u{20ac}\u{e2}\\\"é]){0,12}"
        ) {
            let mut expected = String::new();
            for c in text.chars() {
                match c {
                    '<' => expected.push_str("\\u003c"),
                    '>' => expected.push_str("\\u003e"),
                    '&' => expected.push_str("\\u0026"),
                    '\u{2028}' => expected.push_str("\\u2028"),
                    '\u{2029}' => expected.push_str("\\u2029"),
                    c => expected.push(c),
                }
            }
            proptest::prop_assert_eq!(escape_for_script(text), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn resolved_permissions_are_written_as_their_map(
            flags in proptest::array::uniform13(proptest::option::of(proptest::bool::ANY)),
            groups in proptest::array::uniform3(proptest::bool::ANY),
            edit in proptest::bool::ANY,
        ) {
            let mut p = Permissions { flags, ..Permissions::default() };
            for (i, given) in groups.iter().enumerate() {
                if *given {
                    p.groups[i] = Some(json!(["g", i]));
                }
            }
            let mode = if edit { Mode::Edit } else { Mode::View };
            proptest::prop_assert_eq!(
                serde_json::to_string(&p.resolved(mode)).unwrap(),
                serde_json::to_string(&p.resolve(mode)).unwrap()
            );
        }
    }
}
