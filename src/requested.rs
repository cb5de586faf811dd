//! Content the editor asks its host for: which files Docs accepts as an inserted image
//! (`insertImage`), a document to compare, combine or insert (`setRequestedDocument`) and a
//! mail-merge spreadsheet (`setRequestedSpreadsheet`), and the `fileType` each is handed with.
//!
//! The lists are Docs' own (api.onlyoffice.com `usage-api/methods.md`): anything else the editor
//! refuses, so the host must neither offer nor hand it.

use crate::error::{Error, Result};
use crate::formats::{self, extension_of};

/// What the editor asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// `onRequestInsertImage` → `insertImage`.
    Image,
    /// `onRequestSelectDocument` (compare, combine, insert-text) → `setRequestedDocument`.
    Document,
    /// `onRequestSelectSpreadsheet` (mail merge) → `setRequestedSpreadsheet`.
    Spreadsheet,
}

const IMAGE_TYPES: &[&str] = &["bmp", "gif", "jpe", "jpeg", "jpg", "png", "tif", "tiff"];
const DOCUMENT_TYPES: &[&str] = &[
    "doc", "docm", "docx", "dot", "dotm", "dotx", "epub", "fodt", "odt", "ott", "rtf", "wps",
];
const SPREADSHEET_TYPES: &[&str] = &[
    "csv", "fods", "ods", "ots", "xls", "xlsm", "xlsx", "xlt", "xltm", "xltx",
];

/// Image MIME types the format table does not name the way browsers and Plone do.
const IMAGE_MIME_TYPES: &[(&str, &str)] = &[
    ("image/jpeg", "jpg"),
    ("image/pjpeg", "jpg"),
    ("image/png", "png"),
    ("image/gif", "gif"),
    ("image/bmp", "bmp"),
    ("image/x-ms-bmp", "bmp"),
    ("image/tiff", "tiff"),
];

impl RequestKind {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "image" => Ok(RequestKind::Image),
            "document" => Ok(RequestKind::Document),
            "spreadsheet" => Ok(RequestKind::Spreadsheet),
            other => Err(Error::argument(format!(
                "content kind {other:?} is not \"image\", \"document\" or \"spreadsheet\""
            ))),
        }
    }

    /// The values of `c` the editor sends with this request and expects back in the answer.
    pub fn commands(self) -> &'static [&'static str] {
        match self {
            RequestKind::Image => &["add", "change", "fill", "watermark", "slide"],
            RequestKind::Document => &["compare", "combine", "insert-text"],
            RequestKind::Spreadsheet => &["mailmerge"],
        }
    }

    /// The `fileType` values Docs accepts for this kind.
    pub fn file_types(self) -> &'static [&'static str] {
        match self {
            RequestKind::Image => IMAGE_TYPES,
            RequestKind::Document => DOCUMENT_TYPES,
            RequestKind::Spreadsheet => SPREADSHEET_TYPES,
        }
    }

    fn accepts(self, extension: &str) -> Option<&'static str> {
        let extension = extension.to_ascii_lowercase();
        self.file_types().iter().copied().find(|t| *t == extension)
    }

    /// The `fileType` to hand a file of this name and MIME type with, or `None` when Docs does
    /// not take it for this kind. The file name's extension decides when it names a format Docs
    /// knows; otherwise (no extension, or one Docs does not know) the MIME type.
    pub fn file_type(
        self,
        filename: Option<&str>,
        mime_type: Option<&str>,
    ) -> Option<&'static str> {
        if let Some(extension) = filename.and_then(extension_of) {
            if let Some(found) = self.accepts(extension) {
                return Some(found);
            }
            if formats::by_extension(extension).is_some() {
                // Another format Docs knows: the name says what it is, whatever the MIME type.
                return None;
            }
        }
        let essence = mime_type?.split(';').next().unwrap_or("").trim();
        if essence.is_empty() {
            return None;
        }
        if self == RequestKind::Image {
            if let Some((_, ext)) = IMAGE_MIME_TYPES
                .iter()
                .find(|(m, _)| m.eq_ignore_ascii_case(essence))
            {
                return Some(ext);
            }
        }
        formats::by_mime_type(essence).and_then(|f| self.accepts(f.extension))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_refuse_others() {
        assert_eq!(RequestKind::parse("image").unwrap(), RequestKind::Image);
        assert_eq!(
            RequestKind::parse("spreadsheet").unwrap(),
            RequestKind::Spreadsheet
        );
        assert!(RequestKind::parse("Image").is_err());
        assert!(RequestKind::parse("").is_err());
        assert!(RequestKind::Document.commands().contains(&"insert-text"));
        assert!(!RequestKind::Image.commands().contains(&"compare"));
    }

    #[test]
    fn extension_decides_then_mime_type() {
        let image = RequestKind::Image;
        assert_eq!(image.file_type(Some("Logo.PNG"), None), Some("png"));
        assert_eq!(
            image.file_type(Some("photo"), Some("image/jpeg")),
            Some("jpg")
        );
        assert_eq!(
            image.file_type(Some("scan"), Some("image/tiff")),
            Some("tiff")
        );
        assert_eq!(image.file_type(Some("x.svg"), Some("image/svg+xml")), None);
        assert_eq!(image.file_type(None, None), None);
        let doc = RequestKind::Document;
        assert_eq!(doc.file_type(Some("a.docx"), None), Some("docx"));
        assert_eq!(doc.file_type(Some("a.xlsx"), None), None);
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(doc.file_type(Some("a.xlsx"), Some(docx)), None);
        assert_eq!(doc.file_type(Some("report"), Some(docx)), Some("docx"));
        assert_eq!(doc.file_type(Some("v1.2 final"), Some(docx)), Some("docx"));
        assert_eq!(doc.file_type(Some("a.pdf"), Some("application/pdf")), None);
        let sheet = RequestKind::Spreadsheet;
        assert_eq!(sheet.file_type(Some("list.csv"), None), Some("csv"));
        assert_eq!(sheet.file_type(Some("a.docx"), None), None);
    }
}
