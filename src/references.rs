//! Links between spreadsheets ("reference data"): how a document is named for good
//! (`document.referenceData`), how the editor's request for a linked file is read
//! (`onRequestReferenceData`, `onRequestReferenceSource`, `onRequestOpen`), and the signed
//! answer the page hands back (`setReferenceData`, `setReferenceSource`).
//!
//! - `fileKey` is the item's UID: it survives saves (unlike the document key), renames and moves.
//! - `instanceId` names the Plone site, not its address: a digest of the site's own secret, so
//!   it is the same under every host name and virtual host a site is reached by, and on every
//!   instance of a cluster (they share the database and the secret), while two sites (even in
//!   one Zope) differ. Docs offers "Paste link" only between files with the same instanceId.
//! - The request is untrusted browser data: a `fileKey` is only looked up when its instanceId
//!   is this site's; a path only when it is a plain relative path of item ids.

use crate::tokens::Algorithm;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::formats::{by_extension, DocumentType};
use crate::keys::is_valid_key;
use crate::tokens;
use crate::urls::parse_http_url;

/// The start of every instanceId this add-on makes.
pub const INSTANCE_PREFIX: &str = "plone-";
/// The longest fileKey read from a request (Plone's UIDs have 32 characters).
pub const MAX_FILE_KEY: usize = 64;
/// The longest path or link read from a request.
pub const MAX_PATH: usize = 2048;
/// The most segments a path may have.
const MAX_SEGMENTS: usize = 64;

/// This site's instanceId: `plone-` and 22 base64url characters (132 bits) of a digest of the
/// site's own secret, which it never reveals.
pub fn instance_id(site_secret: &str) -> Result<String> {
    if site_secret.is_empty() {
        return Err(Error::argument(
            "instance id: the site secret must not be empty",
        ));
    }
    let mut hasher = Sha256::new();
    hasher.update(b"onlyoffice-plone instance id v1\0");
    hasher.update((site_secret.len() as u64).to_le_bytes());
    hasher.update(site_secret.as_bytes());
    let digest = hasher.finalize();
    let mut id = String::from(INSTANCE_PREFIX);
    id.push_str(&crate::base64url::encode(&digest));
    id.truncate(INSTANCE_PREFIX.len() + 22);
    Ok(id)
}

/// A fileKey this site could have made: 1 to 64 characters of `0-9 a-z A-Z - _`.
pub fn is_file_key(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_FILE_KEY
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `document.referenceData` of the item `uid`: `{"fileKey": uid, "instanceId": …}`.
pub fn reference_data(site_secret: &str, uid: &str) -> Result<Map<String, Value>> {
    if !is_file_key(uid) {
        return Err(Error::argument(format!(
            "reference data: {uid:?} is not a UID (1-{MAX_FILE_KEY} characters of 0-9 a-z A-Z - _)"
        )));
    }
    let mut data = Map::with_capacity(2);
    data.insert("fileKey".into(), uid.into());
    data.insert("instanceId".into(), instance_id(site_secret)?.into());
    Ok(data)
}

/// Whether a file of this extension may be a link's source: a spreadsheet Docs opens (Docs
/// reads xlsx as it is and converts the others).
pub fn is_reference_source(file_type: &str) -> bool {
    let file_type = file_type
        .trim()
        .trim_start_matches('.')
        .to_ascii_lowercase();
    by_extension(&file_type).and_then(|f| f.document_type) == Some(DocumentType::Cell)
}

/// What an editor's request asks for, read from its untrusted `event.data`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceRequest {
    /// The UID to look up: only when the request's instanceId is this site's.
    pub file_key: Option<String>,
    /// A relative path of item ids (`folder/budget.xlsx`), from `path` or from a `link` into
    /// this site; None when the request names none, or none that can be an item's path.
    pub path: Option<String>,
    /// The request carried reference data of another system.
    pub foreign: bool,
}

impl ReferenceRequest {
    /// Names nothing that could be looked up on this site.
    pub fn is_empty(&self) -> bool {
        self.file_key.is_none() && self.path.is_none()
    }
}

fn optional_text<'a>(data: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>> {
    match data.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.len() > MAX_PATH => Err(Error::argument(format!(
            "{name} is longer than {MAX_PATH} bytes"
        ))),
        Some(Value::String(text)) => Ok(Some(text.as_str()).filter(|t| !t.trim().is_empty())),
        Some(_) => Err(Error::argument(format!("{name} must be text"))),
    }
}

/// Read `{referenceData, path, link}` (each optional) as the editor sends it. `site_url` is
/// the address of the site the page was served from: a `link` under it names an item path.
/// Wrong types and oversized values are an InvalidArgument; a value that merely names nothing
/// on this site (another system's reference data, a desktop file path) is left out.
pub fn parse_reference_request(
    data: &Value,
    site_secret: &str,
    site_url: Option<&str>,
) -> Result<ReferenceRequest> {
    let Value::Object(data) = data else {
        return Err(Error::argument("the request must be a JSON object"));
    };
    let mut request = ReferenceRequest::default();
    match data.get("referenceData") {
        None | Some(Value::Null) => {}
        Some(Value::Object(reference)) => {
            let file_key = optional_text(reference, "fileKey")?;
            let instance = optional_text(reference, "instanceId")?;
            if let Some(key) = file_key.filter(|k| !is_file_key(k)) {
                return Err(Error::argument(format!(
                    "fileKey {:?} is not a UID",
                    key.chars().take(80).collect::<String>()
                )));
            }
            if instance == Some(instance_id(site_secret)?.as_str()) {
                request.file_key = file_key.map(str::to_owned);
            } else if file_key.is_some() || instance.is_some() {
                request.foreign = true;
            }
        }
        Some(_) => return Err(Error::argument("referenceData must be an object")),
    }
    let path = optional_text(data, "path")?;
    let link = optional_text(data, "link")?;
    request.path = path
        .and_then(item_path)
        .or_else(|| link.zip(site_url).and_then(|(l, s)| path_in_site(l, s)));
    Ok(request)
}

/// `text` as a relative path of item ids: `/`-separated segments without `.`, `..`, empty
/// segments, backslashes, control characters, `@` views or `++` namespaces, and without a
/// leading `/` or `./`. None when it cannot be a path of items.
pub fn item_path(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    let trimmed = trimmed.trim_start_matches('/');
    let segments: Vec<&str> = trimmed.split('/').collect();
    let plain = |s: &&str| {
        !s.is_empty()
            && *s != "."
            && *s != ".."
            && !s.starts_with('@')
            && !s.starts_with("++")
            && !s.chars().any(|c| c.is_control() || c == '\\')
    };
    if trimmed.is_empty() || segments.len() > MAX_SEGMENTS || !segments.iter().all(plain) {
        return None;
    }
    Some(segments.join("/"))
}

/// The item path of a `link` under `site_url` (query and fragment dropped, and a trailing
/// `view` or `@@…` view), or None for a link elsewhere.
fn path_in_site(link: &str, site_url: &str) -> Option<String> {
    parse_http_url(link).ok()?;
    let base = site_url.trim_end_matches('/');
    let rest = link.strip_prefix(base)?.strip_prefix('/')?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    while segments
        .last()
        .is_some_and(|s| *s == "view" || s.starts_with('@'))
    {
        segments.pop();
    }
    item_path(&segments.join("/"))
}

/// The source a link reads from, as the answer names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceSource<'a> {
    /// Extension of the file at `url` (a spreadsheet).
    pub file_type: &'a str,
    /// The source's current document key: Docs takes the data of a live co-editing session.
    pub key: &'a str,
    /// Its path relative to the site: what the formula shows and a later request falls back to.
    pub path: &'a str,
    /// Its UID, and this site's instanceId.
    pub file_key: &'a str,
    pub instance_id: &'a str,
    /// Where Docs downloads it (a short-lived URL token in it).
    pub url: &'a str,
}

/// The argument of `setReferenceData` / `setReferenceSource`: `{fileType, key, path,
/// referenceData: {fileKey, instanceId}, url}` and, with a JWT secret, `token` signing all of
/// them (Docs reads the url and fileType it downloads from the token).
pub fn reference_answer(
    source: &ReferenceSource<'_>,
    secret: Option<&str>,
    expires_in: Option<i64>,
) -> Result<Map<String, Value>> {
    let file_type = source
        .file_type
        .trim()
        .trim_start_matches('.')
        .to_ascii_lowercase();
    if !is_reference_source(&file_type) {
        return Err(Error::argument(format!(
            "file type {file_type:?} is not a spreadsheet Docs opens"
        )));
    }
    if !is_valid_key(source.key) {
        return Err(Error::argument(format!(
            "document key {:?} is not 1-128 characters of 0-9 a-z A-Z - . _ =",
            source.key
        )));
    }
    if item_path(source.path).as_deref() != Some(source.path) {
        return Err(Error::argument(format!(
            "path {:?} is not a relative path of item ids",
            source.path
        )));
    }
    if !is_file_key(source.file_key) || !source.instance_id.starts_with(INSTANCE_PREFIX) {
        return Err(Error::argument(
            "reference data needs a UID and this site's instance id",
        ));
    }
    parse_http_url(source.url).map_err(|e| Error::argument(format!("source url: {e}")))?;
    let mut reference = Map::with_capacity(2);
    reference.insert("fileKey".into(), source.file_key.into());
    reference.insert("instanceId".into(), source.instance_id.into());
    let mut answer = Map::with_capacity(6);
    answer.insert("fileType".into(), file_type.into());
    answer.insert("key".into(), source.key.into());
    answer.insert("path".into(), source.path.into());
    answer.insert("referenceData".into(), Value::Object(reference));
    answer.insert("url".into(), source.url.into());
    if let Some(secret) = secret.filter(|s| !s.is_empty()) {
        let token = tokens::sign_token(answer.clone(), secret, Algorithm::HS256, expires_in)?;
        answer.insert("token".into(), token.into());
    }
    Ok(answer)
}

#[cfg(test)]
#[path = "references_tests.rs"]
mod tests;
