//! The editor config: its typed inputs (the document, the user, the session's options) and the
//! function that builds it.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping};
use serde_json::{Map, Value};

use super::claims::write_json;
use super::json::{opt_object, to_value};
use crate::editor::{
    self, CoEditing, CoEditingMode, EditorConfigInput, EditorType, JsonObject, Mode, Permissions,
    Signing, Template, User,
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

/// A mapping given whole (customization, info, reference_data), written to JSON text once.
fn json_object(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<JsonObject>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if !obj.is_instance_of::<PyDict>() && obj.cast::<PyMapping>().is_err() {
        return Err(PyTypeError::new_err(format!("{what} must be a mapping")));
    }
    let mut json = Vec::with_capacity(256);
    write_json(obj, &mut json, &[])?;
    let text = String::from_utf8(json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Some(JsonObject::from_json(text, what)?))
}

fn document_type(name: Option<&str>) -> PyResult<Option<DocumentType>> {
    Ok(name
        .map(|t| {
            DocumentType::parse(t).ok_or_else(|| {
                Error::argument(format!(
                    "document type {t:?} is not word, cell, slide, pdf or diagram"
                ))
            })
        })
        .transpose()?)
}

fn permissions(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Permissions> {
    let mut perms = Permissions::default();
    if let Some(map) = opt_object(obj, "permissions")? {
        for (name, value) in map {
            perms.set(&name, value)?;
        }
    }
    Ok(perms)
}

/// The document to open: `document` of the editor config.
///
/// `document_type` is inferred from `file_type` when None; `info` and `reference_data` are
/// passed through as Docs' `info` and `referenceData`.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct EditorDocument {
    key: String,
    url: String,
    title: String,
    file_type: String,
    document_type: Option<DocumentType>,
    info: Option<JsonObject>,
    reference_data: Option<JsonObject>,
    is_form: Option<bool>,
}

#[pymethods]
impl EditorDocument {
    #[new]
    #[pyo3(signature = (
        key, url, title, file_type, *, document_type=None, info=None, reference_data=None,
        is_form=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        key: String,
        url: String,
        title: String,
        file_type: String,
        document_type: Option<&str>,
        info: Option<&Bound<'_, PyAny>>,
        reference_data: Option<&Bound<'_, PyAny>>,
        is_form: Option<bool>,
    ) -> PyResult<Self> {
        Ok(EditorDocument {
            key,
            url,
            title,
            file_type,
            document_type: self::document_type(document_type)?,
            info: json_object(info, "info")?,
            reference_data: json_object(reference_data, "reference_data")?,
            is_form,
        })
    }

    #[getter]
    fn key(&self) -> &str {
        &self.key
    }
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }
    #[getter]
    fn title(&self) -> &str {
        &self.title
    }
    #[getter]
    fn file_type(&self) -> &str {
        &self.file_type
    }

    fn __repr__(&self) -> String {
        format!("<EditorDocument key={:?} {:?}>", self.key, self.title)
    }
}

/// The user the editor opens for: `editorConfig.user`.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct EditorUser(User);

#[pymethods]
impl EditorUser {
    #[new]
    #[pyo3(signature = (id, *, name=None, group=None, image=None))]
    fn new(id: String, name: Option<String>, group: Option<String>, image: Option<String>) -> Self {
        EditorUser(User {
            id,
            name,
            group,
            image,
        })
    }

    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    fn __repr__(&self) -> String {
        format!("<EditorUser id={:?}>", self.0.id)
    }
}

/// How the editor opens: the rest of `editorConfig`, the permissions, the page layout.
///
/// Permissions are Docs' names mapped to booleans (and commentGroups/reviewGroups/userInfoGroups);
/// unset ones take Docs' defaults, with `edit` following `mode`. `editor_extra` adds editorConfig
/// members that have no parameter here. `language` is the user's language as Plone negotiated
/// it ("de", "pt-br"…): `lang` and `region` follow from it unless given themselves.
#[pyclass(module = "onlyoffice_plone._core", frozen)]
pub struct EditorOptions {
    mode: Mode,
    editor_type: EditorType,
    callback_url: Option<String>,
    language: Option<String>,
    lang: Option<String>,
    region: Option<String>,
    permissions: Permissions,
    customization: Option<JsonObject>,
    co_editing: Option<CoEditing>,
    templates: Vec<Template>,
    create_url: Option<String>,
    editor_extra: Option<Map<String, Value>>,
    width: Option<String>,
    height: Option<String>,
}

#[pymethods]
impl EditorOptions {
    #[new]
    #[pyo3(signature = (
        *, mode="edit", callback_url=None, editor_type="desktop", lang=None, region=None,
        permissions=None, customization=None, co_editing_mode=None, co_editing_change=None,
        templates=None, create_url=None, editor_extra=None, width=None, height=None,
        language=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        mode: &str,
        callback_url: Option<String>,
        editor_type: &str,
        lang: Option<String>,
        region: Option<String>,
        permissions: Option<&Bound<'_, PyAny>>,
        customization: Option<&Bound<'_, PyAny>>,
        co_editing_mode: Option<&str>,
        co_editing_change: Option<bool>,
        templates: Option<&Bound<'_, PyAny>>,
        create_url: Option<String>,
        editor_extra: Option<&Bound<'_, PyAny>>,
        width: Option<String>,
        height: Option<String>,
        language: Option<String>,
    ) -> PyResult<Self> {
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
        Ok(EditorOptions {
            mode: Mode::parse(mode)?,
            editor_type: EditorType::parse(editor_type)?,
            callback_url,
            language,
            lang,
            region,
            permissions: self::permissions(permissions)?,
            customization: json_object(customization, "customization")?,
            co_editing,
            templates: self::templates(templates)?,
            create_url,
            editor_extra: opt_object(editor_extra, "editor_extra")?,
            width,
            height,
        })
    }

    /// "edit" or "view".
    #[getter]
    fn mode(&self) -> &'static str {
        match self.mode {
            Mode::Edit => "edit",
            Mode::View => "view",
        }
    }
    #[getter]
    fn callback_url(&self) -> Option<&str> {
        self.callback_url.as_deref()
    }

    fn __repr__(&self) -> String {
        format!("<EditorOptions mode={}>", self.mode())
    }
}

fn config_input(
    document: &EditorDocument,
    user: Option<&EditorUser>,
    options: &EditorOptions,
) -> EditorConfigInput {
    EditorConfigInput {
        key: document.key.clone(),
        url: document.url.clone(),
        title: document.title.clone(),
        file_type: document.file_type.clone(),
        document_type: document.document_type,
        callback_url: options.callback_url.clone(),
        mode: options.mode,
        editor_type: options.editor_type,
        language: options.language.clone(),
        lang: options.lang.clone(),
        region: options.region.clone(),
        user: user.map(|u| u.0.clone()),
        permissions: options.permissions.clone(),
        customization: options.customization.clone(),
        co_editing: options.co_editing,
        templates: options.templates.clone(),
        create_url: options.create_url.clone(),
        info: document.info.clone(),
        reference_data: document.reference_data.clone(),
        is_form: document.is_form,
        editor_extra: options.editor_extra.clone(),
        width: options.width.clone(),
        height: options.height.clone(),
    }
}

/// Build the editor config as JSON text ready to embed in a page (escapes <, >, &, U+2028 and
/// U+2029), signed whole into "token" when `secret` is given.
///
/// Pass an EditorDocument, an EditorUser (or None) and EditorOptions (None for the defaults).
/// The keyword form (key=, url=, title=, file_type=, ...) is the older spelling of the same call
/// and builds the same JSON; the two cannot be mixed.
#[pyfunction]
#[pyo3(signature = (
    document=None, user=None, options=None, *, key=None, url=None, title=None, file_type=None,
    callback_url=None, document_type=None, mode=None, editor_type=None, lang=None, region=None,
    user_id=None, user_name=None, user_group=None, user_image=None, permissions=None,
    customization=None, co_editing_mode=None, co_editing_change=None, templates=None,
    create_url=None, info=None, reference_data=None, is_form=None, editor_extra=None, width=None,
    height=None, secret=None, algorithm="HS256", expires_in=None
), text_signature = "(document=..., user=None, options=None, *, key=..., url=..., title=..., \
    file_type=..., callback_url=None, document_type=None, mode=None, editor_type=None, lang=None, \
    region=None, user_id=None, user_name=None, user_group=None, user_image=None, permissions=None, \
    customization=None, co_editing_mode=None, co_editing_change=None, templates=None, \
    create_url=None, info=None, reference_data=None, is_form=None, editor_extra=None, width=None, \
    height=None, secret=None, algorithm='HS256', expires_in=None)")]
#[allow(clippy::too_many_arguments)]
fn build_editor_config(
    document: Option<PyRef<'_, EditorDocument>>,
    user: Option<PyRef<'_, EditorUser>>,
    options: Option<PyRef<'_, EditorOptions>>,
    key: Option<String>,
    url: Option<String>,
    title: Option<String>,
    file_type: Option<String>,
    callback_url: Option<String>,
    document_type: Option<&str>,
    mode: Option<&str>,
    editor_type: Option<&str>,
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
    let signing = match secret.filter(|s| !s.is_empty()) {
        Some(secret) => Some(Signing {
            secret,
            algorithm: tokens::parse_algorithm(algorithm)?,
            expires_in,
        }),
        None => None,
    };
    let keyword_form = key.is_some()
        || url.is_some()
        || title.is_some()
        || file_type.is_some()
        || callback_url.is_some()
        || document_type.is_some()
        || mode.is_some()
        || editor_type.is_some()
        || lang.is_some()
        || region.is_some()
        || user_id.is_some()
        || user_name.is_some()
        || user_group.is_some()
        || user_image.is_some()
        || permissions.is_some()
        || customization.is_some()
        || co_editing_mode.is_some()
        || co_editing_change.is_some()
        || templates.is_some()
        || create_url.is_some()
        || info.is_some()
        || reference_data.is_some()
        || is_form.is_some()
        || editor_extra.is_some()
        || width.is_some()
        || height.is_some();
    if let Some(document) = document {
        if keyword_form {
            return Err(PyTypeError::new_err(
                "pass the editor config either as EditorDocument, EditorUser and EditorOptions \
                 or as keywords, not both",
            ));
        }
        let input = match options {
            Some(options) => config_input(&document, user.as_deref(), &options),
            None => {
                let defaults = EditorOptions::new(
                    "edit", None, "desktop", None, None, None, None, None, None, None, None, None,
                    None, None, None,
                )?;
                config_input(&document, user.as_deref(), &defaults)
            }
        };
        return Ok(editor::build_editor_config(&input, signing)?);
    }
    if user.is_some() || options.is_some() {
        return Err(PyTypeError::new_err(
            "build_editor_config() needs an EditorDocument with the EditorUser and EditorOptions",
        ));
    }
    // The keyword form: the same inputs, built through the same classes.
    let required = |value: Option<String>, name: &str| {
        value.ok_or_else(|| {
            PyTypeError::new_err(format!(
                "build_editor_config() missing required argument: {name:?} (or an EditorDocument)"
            ))
        })
    };
    let (key, url, title, file_type) = (
        required(key, "key")?,
        required(url, "url")?,
        required(title, "title")?,
        required(file_type, "file_type")?,
    );
    let document = EditorDocument::new(
        key,
        url,
        title,
        file_type,
        document_type,
        info,
        reference_data,
        is_form,
    )?;
    let user = match (user_id, user_name, user_group, user_image) {
        (Some(id), name, group, image) => Some(EditorUser::new(id, name, group, image)),
        (None, None, None, None) => None,
        _ => {
            return Err(Error::argument("user_name, user_group and user_image need user_id").into())
        }
    };
    let options = EditorOptions::new(
        mode.unwrap_or("edit"),
        callback_url,
        editor_type.unwrap_or("desktop"),
        lang,
        region,
        permissions,
        customization,
        co_editing_mode,
        co_editing_change,
        templates,
        create_url,
        editor_extra,
        width,
        height,
        None,
    )?;
    let input = config_input(&document, user.as_ref(), &options);
    Ok(editor::build_editor_config(&input, signing)?)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<EditorDocument>()?;
    m.add_class::<EditorUser>()?;
    m.add_class::<EditorOptions>()?;
    m.add_function(wrap_pyfunction!(build_editor_config, m)?)?;
    Ok(())
}
