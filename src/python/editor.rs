//! The editor config.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use serde_json::Value;

use super::json::{opt_object, to_value};
use crate::editor::{
    self, CoEditing, CoEditingMode, EditorConfigInput, EditorType, Mode, Signing, Template, User,
};
use crate::error::Error;
use crate::formats::DocumentType;
use crate::tokens;

fn templates(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Template>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = to_value(obj)? else {
        return Err(PyTypeError::new_err(
            "templates must be a sequence of mappings",
        ));
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(mut t) = item else {
                return Err(PyTypeError::new_err("each template must be a mapping"));
            };
            let mut field = |name: &str, required: bool| -> PyResult<Option<String>> {
                match t.remove(name) {
                    Some(Value::String(s)) => Ok(Some(s)),
                    None | Some(Value::Null) if !required => Ok(None),
                    _ => Err(Error::argument(format!("template {name} must be a string")).into()),
                }
            };
            let template = Template {
                title: field("title", true)?.unwrap_or_default(),
                url: field("url", true)?.unwrap_or_default(),
                image: field("image", false)?,
            };
            if let Some(extra) = t.keys().next() {
                return Err(Error::argument(format!("unknown template member {extra:?}")).into());
            }
            Ok(template)
        })
        .collect()
}

/// Build the editor config as JSON text ready to embed in a page (escapes <, >, &, U+2028 and
/// U+2029), signed whole into "token" when `secret` is given.
///
/// `document_type` is inferred from `file_type` when None. Permissions are Docs' names mapped to
/// booleans (and commentGroups/reviewGroups/userInfoGroups); unset ones take Docs' defaults, with
/// `edit` following `mode`. `editor_extra` adds editorConfig members that have no parameter here.
#[pyfunction]
#[pyo3(signature = (
    *, key, url, title, file_type, callback_url=None, document_type=None, mode="edit",
    editor_type="desktop", lang=None, region=None, user_id=None, user_name=None, user_group=None,
    user_image=None, permissions=None, customization=None, co_editing_mode=None,
    co_editing_change=None, templates=None, create_url=None, info=None, reference_data=None,
    is_form=None, editor_extra=None, width=None, height=None, secret=None, algorithm="HS256",
    expires_in=None
))]
#[allow(clippy::too_many_arguments)]
fn build_editor_config(
    key: String,
    url: String,
    title: String,
    file_type: String,
    callback_url: Option<String>,
    document_type: Option<&str>,
    mode: &str,
    editor_type: &str,
    lang: Option<String>,
    region: Option<String>,
    user_id: Option<String>,
    user_name: Option<String>,
    user_group: Option<String>,
    user_image: Option<String>,
    permissions: Option<&Bound<'_, PyAny>>,
    customization: Option<&Bound<'_, PyAny>>,
    co_editing_mode: Option<&str>,
    co_editing_change: Option<bool>,
    templates: Option<&Bound<'_, PyAny>>,
    create_url: Option<String>,
    info: Option<&Bound<'_, PyAny>>,
    reference_data: Option<&Bound<'_, PyAny>>,
    is_form: Option<bool>,
    editor_extra: Option<&Bound<'_, PyAny>>,
    width: Option<String>,
    height: Option<String>,
    secret: Option<&str>,
    algorithm: &str,
    expires_in: Option<i64>,
) -> PyResult<String> {
    let document_type = document_type
        .map(|t| {
            DocumentType::parse(t).ok_or_else(|| {
                Error::argument(format!(
                    "document type {t:?} is not word, cell, slide, pdf or diagram"
                ))
            })
        })
        .transpose()?;
    let user = match (user_id, user_name, user_group, user_image) {
        (Some(id), name, group, image) => Some(User {
            id,
            name,
            group,
            image,
        }),
        (None, None, None, None) => None,
        _ => {
            return Err(Error::argument("user_name, user_group and user_image need user_id").into())
        }
    };
    let co_editing = match (co_editing_mode, co_editing_change) {
        (Some(m), change) => Some(CoEditing {
            mode: CoEditingMode::parse(m)?,
            change: change.unwrap_or(true),
        }),
        (None, None) => None,
        (None, Some(_)) => {
            return Err(Error::argument("co_editing_change needs co_editing_mode").into())
        }
    };
    let mut perms = editor::Permissions::default();
    if let Some(map) = opt_object(permissions, "permissions")? {
        for (name, value) in map {
            perms.set(&name, value)?;
        }
    }
    let input = EditorConfigInput {
        key,
        url,
        title,
        file_type,
        document_type,
        callback_url,
        mode: Mode::parse(mode)?,
        editor_type: EditorType::parse(editor_type)?,
        lang,
        region,
        user,
        permissions: perms,
        customization: opt_object(customization, "customization")?,
        co_editing,
        templates: self::templates(templates)?,
        create_url,
        info: opt_object(info, "info")?,
        reference_data: opt_object(reference_data, "reference_data")?,
        is_form,
        editor_extra: opt_object(editor_extra, "editor_extra")?,
        width,
        height,
    };
    let signing = match secret.filter(|s| !s.is_empty()) {
        Some(secret) => Some(Signing {
            secret,
            algorithm: tokens::parse_algorithm(algorithm)?,
            expires_in,
        }),
        None => None,
    };
    Ok(editor::build_editor_config(&input, signing)?)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(build_editor_config, m)?)?;
    Ok(())
}
