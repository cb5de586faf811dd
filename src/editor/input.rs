//! The inputs of the editor config: mode, editor type, user, templates, co-editing and the
//! permissions with Docs' defaults.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::formats::DocumentType;

/// `editorConfig.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Edit,
    View,
}

impl Mode {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "edit" => Ok(Mode::Edit),
            "view" => Ok(Mode::View),
            other => Err(Error::argument(format!(
                "mode {other:?} is not \"edit\" or \"view\""
            ))),
        }
    }
}

/// The top-level `type`: which editor flavour the page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditorType {
    Desktop,
    Mobile,
    Embedded,
}

impl EditorType {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "desktop" => Ok(EditorType::Desktop),
            "mobile" => Ok(EditorType::Mobile),
            "embedded" => Ok(EditorType::Embedded),
            other => Err(Error::argument(format!(
                "editor type {other:?} is not \"desktop\", \"mobile\" or \"embedded\""
            ))),
        }
    }
}

/// `editorConfig.coEditing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoEditing {
    pub mode: CoEditingMode,
    pub change: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoEditingMode {
    Fast,
    Strict,
}

impl CoEditingMode {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "fast" => Ok(CoEditingMode::Fast),
            "strict" => Ok(CoEditingMode::Strict),
            other => Err(Error::argument(format!(
                "co-editing mode {other:?} is not \"fast\" or \"strict\""
            ))),
        }
    }
}

/// `editorConfig.user`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// `editorConfig.templates[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Template {
    pub title: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// The boolean permission names, as Docs spells them.
pub const PERMISSION_FLAGS: [&str; 13] = [
    "chat",
    "comment",
    "copy",
    "deleteCommentAuthorOnly",
    "download",
    "edit",
    "editCommentAuthorOnly",
    "fillForms",
    "modifyContentControl",
    "modifyFilter",
    "print",
    "protect",
    "review",
];

/// The group permission names (objects or lists, passed through).
pub const PERMISSION_GROUPS: [&str; 3] = ["commentGroups", "reviewGroups", "userInfoGroups"];

/// `document.permissions`. Unset flags take Docs' defaults, resolved here so the page shows
/// exactly what is allowed: `edit` follows the mode, `comment` and `review` follow `edit`,
/// `fillForms` follows `edit` or `review`, the author-only flags are off, the rest on.
///
/// A lesser session (mode edit without `edit`: review, comment or form filling only) gets the
/// least it needs instead: its people edit and delete only their own comments
/// (`editCommentAuthorOnly`, `deleteCommentAuthorOnly` on), and may neither protect the
/// document, change its content controls nor apply spreadsheet filters for everyone
/// (`protect`, `modifyContentControl`, `modifyFilter` off).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Permissions {
    pub flags: [Option<bool>; 13],
    pub groups: [Option<Value>; 3],
}

impl Permissions {
    /// Set one permission by its Docs name.
    pub fn set(&mut self, name: &str, value: Value) -> Result<()> {
        if let Some(i) = PERMISSION_FLAGS.iter().position(|n| *n == name) {
            let Value::Bool(flag) = value else {
                return Err(Error::argument(format!(
                    "permission {name:?} must be a boolean"
                )));
            };
            self.flags[i] = Some(flag);
        } else if let Some(i) = PERMISSION_GROUPS.iter().position(|n| *n == name) {
            if !(value.is_array() || value.is_object()) {
                return Err(Error::argument(format!(
                    "permission {name:?} must be a list or an object"
                )));
            }
            self.groups[i] = Some(value);
        } else {
            return Err(Error::argument(format!(
                "unknown permission {name:?}; known: {}, {}",
                PERMISSION_FLAGS.join(", "),
                PERMISSION_GROUPS.join(", ")
            )));
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Option<bool> {
        PERMISSION_FLAGS
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.flags[i])
    }

    /// The resolved permissions as a map (what [`Permissions::resolved`] writes).
    #[cfg(test)]
    pub(super) fn resolve(&self, mode: Mode) -> Map<String, Value> {
        self.resolved(mode)
            .entries
            .into_iter()
            .map(|(name, value)| {
                let value = match value {
                    Permission::Flag(flag) => Value::Bool(flag),
                    Permission::Group(group) => group.clone(),
                };
                (name.to_owned(), value)
            })
            .collect()
    }

    /// Every flag with its resolved value and the groups given, in the order of their names
    /// (as a map of them would be written), without building a map.
    pub(super) fn resolved(&self, mode: Mode) -> Resolved<'_> {
        let edit = self.get("edit").unwrap_or(mode == Mode::Edit);
        let review = self.get("review").unwrap_or(edit);
        let lesser = mode == Mode::Edit && !edit;
        let mut entries = Vec::with_capacity(PERMISSION_FLAGS.len() + PERMISSION_GROUPS.len());
        for (i, name) in PERMISSION_FLAGS.iter().enumerate() {
            let default = match *name {
                "edit" => edit,
                "review" => review,
                "comment" => edit,
                "fillForms" => edit || review,
                "deleteCommentAuthorOnly" | "editCommentAuthorOnly" => lesser,
                "protect" | "modifyContentControl" | "modifyFilter" => !lesser,
                _ => true,
            };
            entries.push((*name, Permission::Flag(self.flags[i].unwrap_or(default))));
        }
        for (i, name) in PERMISSION_GROUPS.iter().enumerate() {
            if let Some(group) = &self.groups[i] {
                entries.push((*name, Permission::Group(group)));
            }
        }
        entries.sort_unstable_by_key(|(name, _)| *name);
        Resolved { entries }
    }
}

/// One resolved permission.
#[derive(Debug, Clone, Copy)]
pub(super) enum Permission<'a> {
    Flag(bool),
    Group(&'a Value),
}

/// `document.permissions` as written: the entries in name order.
#[derive(Debug)]
pub(super) struct Resolved<'a> {
    entries: Vec<(&'static str, Permission<'a>)>,
}

impl serde::Serialize for Resolved<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (name, value) in &self.entries {
            match value {
                Permission::Flag(flag) => map.serialize_entry(name, flag)?,
                Permission::Group(group) => map.serialize_entry(name, group)?,
            }
        }
        map.end()
    }
}

/// Everything the editor config is built from.
#[derive(Debug, Clone)]
pub struct EditorConfigInput {
    pub key: String,
    pub url: String,
    pub title: String,
    pub file_type: String,
    /// Inferred from `file_type` when `None`.
    pub document_type: Option<DocumentType>,
    pub callback_url: Option<String>,
    pub mode: Mode,
    pub editor_type: EditorType,
    /// Plone's negotiated language ("de", "pt-br"…): `lang` and `region` follow from it
    /// (see `crate::locale`) unless given themselves.
    pub language: Option<String>,
    pub lang: Option<String>,
    pub region: Option<String>,
    pub user: Option<User>,
    pub permissions: Permissions,
    pub customization: Option<JsonObject>,
    pub co_editing: Option<CoEditing>,
    pub templates: Vec<Template>,
    pub create_url: Option<String>,
    pub info: Option<JsonObject>,
    pub reference_data: Option<JsonObject>,
    pub is_form: Option<bool>,
    /// More `editorConfig` members (`recent`, `plugins`, `embedded`, `actionLink`…); they may not
    /// replace the members above.
    pub editor_extra: Option<Map<String, Value>>,
    pub width: Option<String>,
    pub height: Option<String>,
}

impl EditorConfigInput {
    /// The minimal input: everything else at its default (edit mode, desktop, no user…).
    pub fn new(key: &str, url: &str, title: &str, file_type: &str) -> Self {
        EditorConfigInput {
            key: key.into(),
            url: url.into(),
            title: title.into(),
            file_type: file_type.into(),
            document_type: None,
            callback_url: None,
            mode: Mode::Edit,
            editor_type: EditorType::Desktop,
            language: None,
            lang: None,
            region: None,
            user: None,
            permissions: Permissions::default(),
            customization: None,
            co_editing: None,
            templates: Vec::new(),
            create_url: None,
            info: None,
            reference_data: None,
            is_form: None,
            editor_extra: None,
            width: None,
            height: None,
        }
    }
}

/// A JSON object passed through whole (`customization`, `info`, `referenceData`), kept as its
/// JSON text: written into the config as it is, cloned as one string.
#[derive(Debug, Clone)]
pub struct JsonObject(Box<RawValue>);

impl JsonObject {
    pub fn from_map(map: &Map<String, Value>) -> Self {
        JsonObject(serde_json::value::to_raw_value(map).expect("a JSON map serializes"))
    }

    /// JSON text that must hold one object.
    pub fn from_json(text: String, what: &str) -> Result<Self> {
        if !text.trim_start().starts_with('{') {
            return Err(Error::argument(format!("{what} must be a JSON object")));
        }
        RawValue::from_string(text)
            .map(JsonObject)
            .map_err(|e| Error::argument(format!("{what} is not JSON: {e}")))
    }

    pub fn json(&self) -> &str {
        self.0.get()
    }
}

impl From<Map<String, Value>> for JsonObject {
    fn from(map: Map<String, Value>) -> Self {
        JsonObject::from_map(&map)
    }
}

impl Serialize for JsonObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
