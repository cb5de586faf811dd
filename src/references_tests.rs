use super::*;
use serde_json::json;

const SITE: &str = "site-secret";
const UID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn ours() -> String {
    instance_id(SITE).unwrap()
}

#[test]
fn instance_id_is_stable_opaque_and_per_site() {
    let id = ours();
    assert_eq!(id, instance_id(SITE).unwrap());
    assert!(id.starts_with("plone-"));
    assert_eq!(id.len(), "plone-".len() + 22);
    assert!(!id.contains(SITE));
    assert_ne!(id, instance_id("another-site").unwrap());
    assert!(instance_id("").is_err());
}

#[test]
fn reference_data_names_the_uid_and_the_site() {
    let data = reference_data(SITE, UID).unwrap();
    assert_eq!(
        Value::Object(data),
        json!({"fileKey": UID, "instanceId": ours()})
    );
    assert!(reference_data(SITE, "a/b").is_err());
    assert!(reference_data(SITE, "").is_err());
}

#[test]
fn only_spreadsheets_are_sources() {
    for ok in ["xlsx", "XLSX", ".ods", "csv", "xls"] {
        assert!(is_reference_source(ok), "{ok}");
    }
    for no in ["docx", "pdf", "pptx", "exe", ""] {
        assert!(!is_reference_source(no), "{no}");
    }
}

fn parse(data: Value) -> Result<ReferenceRequest> {
    parse_reference_request(&data, SITE, Some("https://plone.example.com/site"))
}

#[test]
fn reads_our_reference_data_and_path() {
    let request = parse(json!({
        "referenceData": {"fileKey": UID, "instanceId": ours()},
        "path": "folder/budget.xlsx",
        "link": ""
    }))
    .unwrap();
    assert_eq!(request.file_key.as_deref(), Some(UID));
    assert_eq!(request.path.as_deref(), Some("folder/budget.xlsx"));
    assert!(!request.foreign);
}

#[test]
fn another_systems_reference_data_is_not_looked_up() {
    let request = parse(json!({
        "referenceData": {"fileKey": UID, "instanceId": "https://example.com"},
        "path": "budget.xlsx"
    }))
    .unwrap();
    assert_eq!(request.file_key, None);
    assert!(request.foreign);
    assert_eq!(request.path.as_deref(), Some("budget.xlsx"));
}

#[test]
fn a_typed_formula_sends_only_a_path() {
    let request = parse(json!({"path": "/budget.xlsx"})).unwrap();
    assert_eq!(request.path.as_deref(), Some("budget.xlsx"));
    assert_eq!(request.file_key, None);
}

#[test]
fn a_link_into_the_site_names_a_path() {
    let request = parse(json!({
        "link": "https://plone.example.com/site/folder/budget.xlsx/@@onlyoffice-edit?x=1"
    }))
    .unwrap();
    assert_eq!(request.path.as_deref(), Some("folder/budget.xlsx"));
    for elsewhere in [
        "https://evil.example.com/site/folder/budget.xlsx",
        "https://plone.example.com/sitewide/budget.xlsx",
        "file:///etc/passwd",
    ] {
        assert!(
            parse(json!({"link": elsewhere})).unwrap().is_empty(),
            "{elsewhere}"
        );
    }
}

#[test]
fn paths_that_cannot_name_items_are_left_out() {
    for bad in [
        "../secret.xlsx",
        "a/../b",
        "a//b",
        "C:\\data\\x.xlsx",
        "folder/@@view",
        "++resource++x/y",
        "a\u{0}b",
        "   ",
    ] {
        assert_eq!(parse(json!({ "path": bad })).unwrap().path, None, "{bad:?}");
    }
    assert_eq!(item_path("./a/b").as_deref(), Some("a/b"));
}

#[test]
fn wrong_types_and_sizes_are_refused() {
    for bad in [
        json!("a string"),
        json!([1]),
        json!({"referenceData": "x"}),
        json!({"referenceData": {"fileKey": 12}}),
        json!({"referenceData": {"fileKey": "a/b", "instanceId": "x"}}),
        json!({"path": 3}),
        json!({"link": {"a": 1}}),
        json!({"path": "a".repeat(MAX_PATH + 1)}),
    ] {
        assert!(parse(bad.clone()).is_err(), "{bad}");
    }
    assert!(parse(json!({})).unwrap().is_empty());
}

fn source<'a>(url: &'a str, instance: &'a str) -> ReferenceSource<'a> {
    ReferenceSource {
        file_type: "XLSX",
        key: "0f1e.abc",
        path: "folder/budget.xlsx",
        file_key: UID,
        instance_id: instance,
        url,
    }
}

#[test]
fn the_answer_is_signed_whole() {
    let instance = ours();
    let url = "https://plone.example.com/site/@@onlyoffice-download?uid=x&token=t";
    let answer = reference_answer(&source(url, &instance), Some("docs-secret"), Some(300)).unwrap();
    let token = answer["token"].as_str().unwrap().to_owned();
    let mut claims = tokens::verify_token(&token, "docs-secret", 0).unwrap();
    assert!(
        claims.remove("exp").unwrap().as_i64().unwrap()
            > claims.remove("iat").unwrap().as_i64().unwrap()
    );
    let mut plain = answer.clone();
    plain.remove("token");
    assert_eq!(claims, plain);
    assert_eq!(
        Value::Object(plain),
        json!({
            "fileType": "xlsx",
            "key": "0f1e.abc",
            "path": "folder/budget.xlsx",
            "referenceData": {"fileKey": UID, "instanceId": instance},
            "url": url,
        })
    );
    let unsigned = reference_answer(&source(url, &instance), None, None).unwrap();
    assert!(!unsigned.contains_key("token"));
}

#[test]
fn the_answer_refuses_what_docs_could_not_use() {
    let instance = ours();
    let url = "https://plone.example.com/x";
    let mut s = source(url, &instance);
    s.file_type = "docx";
    assert!(reference_answer(&s, None, None).is_err());
    let mut s = source(url, &instance);
    s.key = "a/b";
    assert!(reference_answer(&s, None, None).is_err());
    let mut s = source(url, &instance);
    s.path = "../x.xlsx";
    assert!(reference_answer(&s, None, None).is_err());
    assert!(reference_answer(&source("file:///x", &instance), None, None).is_err());
    assert!(reference_answer(&source(url, "https://example.com"), None, None).is_err());
}
