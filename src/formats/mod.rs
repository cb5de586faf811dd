//! Which files Docs can open, edit and convert: the project's format table and classification.

mod names;
mod table;

pub use names::{free_name, new_file_extension, output_extension, result_filename};

pub(crate) const VIEW: u16 = 1;
pub(crate) const EDIT: u16 = 1 << 1;
pub(crate) const LOSSY_EDIT: u16 = 1 << 2;
pub(crate) const AUTO_CONVERT: u16 = 1 << 3;
pub(crate) const FILL: u16 = 1 << 4;
pub(crate) const REVIEW: u16 = 1 << 5;
pub(crate) const COMMENT: u16 = 1 << 6;
pub(crate) const CUSTOMFILTER: u16 = 1 << 7;
pub(crate) const ENCRYPT: u16 = 1 << 8;

/// Action names in the order the reference table uses them.
const ACTION_NAMES: [(u16, &str); 9] = [
    (VIEW, "view"),
    (EDIT, "edit"),
    (LOSSY_EDIT, "lossy-edit"),
    (AUTO_CONVERT, "auto-convert"),
    (CUSTOMFILTER, "customfilter"),
    (REVIEW, "review"),
    (COMMENT, "comment"),
    (FILL, "fill"),
    (ENCRYPT, "encrypt"),
];

/// MIME type reported for the few formats the table gives none.
pub const FALLBACK_MIME_TYPE: &str = "application/octet-stream";

/// The `documentType` of the editor config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentType {
    Word,
    Cell,
    Slide,
    Pdf,
    Diagram,
}

impl DocumentType {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Word => "word",
            DocumentType::Cell => "cell",
            DocumentType::Slide => "slide",
            DocumentType::Pdf => "pdf",
            DocumentType::Diagram => "diagram",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "word" => DocumentType::Word,
            "cell" => DocumentType::Cell,
            "slide" => DocumentType::Slide,
            "pdf" => DocumentType::Pdf,
            "diagram" => DocumentType::Diagram,
            _ => return None,
        })
    }

    /// The Office Open XML format Docs edits for this type (what `auto-convert` formats become).
    pub fn ooxml_extension(self) -> Option<&'static str> {
        match self {
            DocumentType::Word => Some("docx"),
            DocumentType::Cell => Some("xlsx"),
            DocumentType::Slide => Some("pptx"),
            DocumentType::Pdf => Some("pdf"),
            DocumentType::Diagram => None,
        }
    }
}

/// One row of the format table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub extension: &'static str,
    /// `None` for formats Docs only produces (images, `zip`, `pdfa`), never opens.
    pub document_type: Option<DocumentType>,
    actions: u16,
    pub convert_to: &'static [&'static str],
    pub mime_types: &'static [&'static str],
}

impl Format {
    pub fn has(&self, action: u16) -> bool {
        self.actions & action != 0
    }

    /// The action words of this row, as the reference table spells them.
    pub fn actions(&self) -> impl Iterator<Item = &'static str> + '_ {
        ACTION_NAMES
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|(_, name)| *name)
    }

    pub fn primary_mime_type(&self) -> &'static str {
        self.mime_types
            .first()
            .copied()
            .unwrap_or(FALLBACK_MIME_TYPE)
    }
}

/// Every format Docs knows, in table order.
pub fn formats() -> &'static [Format] {
    table::FORMATS
}

/// Extensions Docs can edit only with a loss of features (ODF, csv, txt, rtf…): editable when the
/// administrator allows them.
pub fn lossy_edit_extensions() -> impl Iterator<Item = &'static str> {
    formats()
        .iter()
        .filter(|f| f.has(LOSSY_EDIT))
        .map(|f| f.extension)
}

/// Find a row by extension (case-insensitive, leading dot allowed).
pub fn by_extension(extension: &str) -> Option<&'static Format> {
    let extension = extension.trim().trim_start_matches('.');
    formats()
        .iter()
        .find(|f| f.extension.eq_ignore_ascii_case(extension))
}

/// Find a row by MIME type (case-insensitive, parameters such as `; charset=` ignored). A row whose
/// first MIME type matches wins over one that merely lists it.
pub fn by_mime_type(mime_type: &str) -> Option<&'static Format> {
    let essence = mime_type.split(';').next().unwrap_or("").trim();
    if essence.is_empty() {
        return None;
    }
    let table = formats();
    table
        .iter()
        .find(|f| {
            f.mime_types
                .first()
                .is_some_and(|m| m.eq_ignore_ascii_case(essence))
        })
        .or_else(|| {
            table
                .iter()
                .find(|f| f.mime_types.iter().any(|m| m.eq_ignore_ascii_case(essence)))
        })
}

/// The extension of a file name: the text after the last dot of the last path segment, with
/// trailing dots and spaces (which Windows drops) ignored. `None` when there is no dot.
pub fn extension_of(filename: &str) -> Option<&str> {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let base = base.trim_end_matches(['.', ' ', '\t', '\r', '\n']);
    let (_, ext) = base.rsplit_once('.')?;
    let ext = ext.trim();
    (!ext.is_empty()).then_some(ext)
}

/// What the Plone side needs to know about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub format: &'static Format,
    pub document_type: DocumentType,
    pub can_view: bool,
    pub can_edit: bool,
    pub lossy: bool,
    pub convert_to: Option<&'static str>,
    pub is_form: bool,
    pub can_review: bool,
    pub can_comment: bool,
}

impl Classification {
    pub fn extension(&self) -> &'static str {
        self.format.extension
    }

    pub fn mime_type(&self) -> &'static str {
        self.format.primary_mime_type()
    }

    /// "Download as" targets: what Docs can convert this format into, the ones people ask
    /// for most first (PDF, then Office Open XML and OpenDocument, see ``DOWNLOAD_FIRST``),
    /// the rest in the table's order.
    pub fn download_as(&self) -> Vec<&'static str> {
        let mut targets = self.format.convert_to.to_vec();
        targets.sort_by_key(|target| {
            DOWNLOAD_FIRST
                .iter()
                .position(|first| first == target)
                .unwrap_or(DOWNLOAD_FIRST.len())
        });
        targets
    }
}

/// The "Download as" targets offered first, in this order: what an office user asks for
/// most (a PDF to send, the editable office formats), before images and e-book formats.
pub const DOWNLOAD_FIRST: &[&str] = &[
    "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "pdfa", "rtf", "csv", "txt", "html",
];

/// Classify a file by name and/or MIME type.
///
/// The file name's extension decides when the table knows it; otherwise the MIME type does. Returns
/// `None` for files that are not office documents (unknown, images, archives). `lossy_edit` lists the
/// lossy formats the administrator allows editing (case-insensitive, leading dot allowed).
pub fn classify<S: AsRef<str>>(
    filename: Option<&str>,
    mime_type: Option<&str>,
    lossy_edit: &[S],
) -> Option<Classification> {
    let format = filename
        .and_then(extension_of)
        .and_then(by_extension)
        .or_else(|| mime_type.and_then(by_mime_type))?;
    let document_type = format.document_type?;
    let lossy = format.has(LOSSY_EDIT);
    let lossy_allowed = lossy
        && lossy_edit.iter().any(|allowed| {
            allowed
                .as_ref()
                .trim()
                .trim_start_matches('.')
                .eq_ignore_ascii_case(format.extension)
        });
    let convert_to = if format.has(AUTO_CONVERT) {
        document_type.ooxml_extension()
    } else {
        None
    };
    Some(Classification {
        format,
        document_type,
        can_view: format.has(VIEW),
        can_edit: format.has(EDIT) || lossy_allowed,
        lossy,
        convert_to,
        is_form: format.has(FILL),
        can_review: format.has(REVIEW),
        can_comment: format.has(COMMENT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn table_has_unique_lowercase_extensions() {
        let mut seen = std::collections::HashSet::new();
        for f in formats() {
            assert_eq!(f.extension, f.extension.to_ascii_lowercase());
            assert!(seen.insert(f.extension), "duplicate {}", f.extension);
        }
        assert!(formats().len() >= 86);
    }

    #[test]
    fn auto_convert_targets_are_conversion_targets() {
        for f in formats().iter().filter(|f| f.has(AUTO_CONVERT)) {
            let target = f
                .document_type
                .and_then(DocumentType::ooxml_extension)
                .unwrap();
            assert!(
                f.convert_to.contains(&target),
                "{} cannot become {target}",
                f.extension
            );
        }
    }

    #[test]
    fn download_targets_put_what_people_ask_for_first_and_keep_every_target() {
        let docx = classify(Some("a.docx"), None, NONE).unwrap();
        assert_eq!(
            docx.download_as(),
            [
                "pdf", "odt", "pdfa", "rtf", "txt", "html", "bmp", "docm", "dotm", "dotx", "epub",
                "fb2", "gif", "jpg", "md", "ott", "png"
            ]
        );
        let xls = classify(Some("a.xls"), None, NONE).unwrap();
        assert_eq!(xls.download_as()[..3], ["pdf", "xlsx", "ods"]);
        for f in formats() {
            let c = classify(Some(&format!("a.{}", f.extension)), None, NONE);
            let Some(c) = c else { continue };
            let mut offered = c.download_as();
            offered.sort_unstable();
            let mut all = c.format.convert_to.to_vec();
            all.sort_unstable();
            assert_eq!(offered, all, "{}", f.extension);
        }
    }

    #[test]
    fn classifies_by_extension_case_insensitively() {
        let c = classify(Some("Report.DOCX"), None, NONE).unwrap();
        assert_eq!(c.extension(), "docx");
        assert_eq!(c.document_type, DocumentType::Word);
        assert!(c.can_edit && c.can_view && c.can_review && c.can_comment);
        assert!(!c.lossy && !c.is_form);
        assert_eq!(c.convert_to, None);
        assert!(c.download_as().contains(&"pdf"));
        assert_eq!(c.download_as().first(), Some(&"pdf"), "PDF first");
    }

    #[test]
    fn odd_names() {
        assert_eq!(
            classify(Some("a.tar.xlsx"), None, NONE)
                .unwrap()
                .extension(),
            "xlsx"
        );
        assert_eq!(
            classify(Some("C:\\Users\\x\\deck.PPTX"), None, NONE)
                .unwrap()
                .extension(),
            "pptx"
        );
        assert_eq!(
            classify(Some("report.docx. "), None, NONE)
                .unwrap()
                .extension(),
            "docx"
        );
        assert_eq!(
            classify(Some(".xlsx"), None, NONE).unwrap().extension(),
            "xlsx"
        );
        assert!(classify(Some("README"), None, NONE).is_none());
        assert!(classify(Some("archive.docx.zip"), None, NONE).is_none());
        assert!(classify(Some("photo.png"), Some("image/png"), NONE).is_none());
        assert!(classify(Some(""), None, NONE).is_none());
        assert!(classify(Some("dir.docx/file"), None, NONE).is_none());
    }

    #[test]
    fn falls_back_to_mime_type() {
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(
            classify(Some("report"), Some(docx), NONE)
                .unwrap()
                .extension(),
            "docx"
        );
        assert_eq!(
            classify(None, Some("TEXT/CSV; charset=utf-8"), NONE)
                .unwrap()
                .extension(),
            "csv"
        );
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        assert_eq!(
            classify(None, Some(xlsx), NONE).unwrap().extension(),
            "xlsx"
        );
        assert_eq!(
            classify(None, Some("text/html"), NONE).unwrap().extension(),
            "html"
        );
        assert_eq!(
            classify(None, Some("application/vnd.ms-powerpoint"), NONE)
                .unwrap()
                .extension(),
            "ppt"
        );
        assert_eq!(
            classify(None, Some("application/vnd.visio"), NONE)
                .unwrap()
                .extension(),
            "vsdx"
        );
        assert!(classify(None, Some("application/octet-stream"), NONE).is_none());
        assert!(classify(None, None, NONE).is_none());
    }

    #[test]
    fn lossy_formats_edit_only_when_allowed() {
        let odt = classify(Some("a.odt"), None, NONE).unwrap();
        assert!(odt.lossy && !odt.can_edit);
        assert_eq!(odt.convert_to, Some("docx"));
        let odt = classify(Some("a.odt"), None, &[".ODT"]).unwrap();
        assert!(odt.can_edit);
        let csv = classify(Some("a.csv"), None, &["odt"]).unwrap();
        assert!(!csv.can_edit && csv.convert_to.is_none());
        // allowing a non-lossy, view-only format changes nothing
        assert!(!classify(Some("a.doc"), None, &["doc"]).unwrap().can_edit);
    }

    #[test]
    fn legacy_and_form_formats() {
        let doc = classify(Some("old.doc"), None, NONE).unwrap();
        assert!(!doc.can_edit && doc.can_view);
        assert_eq!(doc.convert_to, Some("docx"));
        let pdf = classify(Some("form.pdf"), None, NONE).unwrap();
        assert!(pdf.is_form && pdf.can_edit);
        assert_eq!(pdf.document_type, DocumentType::Pdf);
        assert_eq!(pdf.mime_type(), "application/pdf");
        let wpt = classify(Some("x.wpt"), None, NONE).unwrap();
        assert_eq!(wpt.mime_type(), FALLBACK_MIME_TYPE);
    }

    #[test]
    fn lossy_list() {
        let lossy: Vec<_> = lossy_edit_extensions().collect();
        for ext in ["odt", "ods", "odp", "csv", "txt", "rtf", "epub"] {
            assert!(lossy.contains(&ext), "{ext}");
        }
        assert!(!lossy.contains(&"docx"));
    }
}
