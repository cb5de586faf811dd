//! The names of files the add-on creates: new blank files, conversion results, saved results.

use super::DocumentType;

/// The extension of a new blank file of `document_type`: the Office Open XML format Docs edits
/// (word → docx, cell → xlsx, slide → pptx, pdf → pdf); `None` for diagrams, which cannot be
/// created.
pub fn new_file_extension(document_type: DocumentType) -> Option<&'static str> {
    document_type.ooxml_extension()
}

/// The extension of a file of `outputtype`: lowercase, and the output types whose files carry
/// another extension mapped to it (pdfa → pdf, jpeg → jpg).
pub fn output_extension(outputtype: &str) -> String {
    let outputtype = outputtype.to_lowercase();
    match outputtype.as_str() {
        "pdfa" => "pdf".to_owned(),
        "jpeg" => "jpg".to_owned(),
        _ => outputtype,
    }
}

/// The name of a result file of `filetype` made from `filename` ("document" when empty): the name
/// unchanged when its extension already says `filetype` (in any case), else the stem with the
/// filetype's extension. An empty `filetype` keeps the name.
pub fn result_filename(filename: &str, filetype: &str) -> String {
    let filename = if filename.is_empty() {
        "document"
    } else {
        filename
    };
    if filetype.is_empty() {
        return filename.to_owned();
    }
    let extension = output_extension(filetype);
    let (stem, ext) = split_extension(filename);
    if ext.trim_start_matches('.').to_lowercase() == extension {
        return filename.to_owned();
    }
    format!("{stem}.{extension}")
}

/// Split off the extension as Python's `posixpath.splitext` does: from the last dot of the last
/// path segment, unless only dots come before it (".bashrc" has none).
fn split_extension(path: &str) -> (&str, &str) {
    let segment_start = path.rfind('/').map_or(0, |i| i + 1);
    match path.rfind('.') {
        Some(dot) if dot > segment_start && path[segment_start..dot].bytes().any(|b| b != b'.') => {
            path.split_at(dot)
        }
        _ => (path, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn new_files_are_ooxml() {
        let ext = |t| new_file_extension(DocumentType::parse(t).unwrap());
        assert_eq!(
            ["word", "cell", "slide", "pdf", "diagram"].map(ext),
            [Some("docx"), Some("xlsx"), Some("pptx"), Some("pdf"), None]
        );
    }

    #[test]
    fn output_extensions() {
        assert_eq!(output_extension("pdfa"), "pdf");
        assert_eq!(output_extension("PDFA"), "pdf");
        assert_eq!(output_extension("jpeg"), "jpg");
        assert_eq!(output_extension("DOCX"), "docx");
        assert_eq!(output_extension("png"), "png");
    }

    #[test]
    fn result_filenames() {
        for (filename, filetype, expected) in [
            ("Report.docx", "docx", "Report.docx"),
            ("Report.DOCX", "docx", "Report.DOCX"),
            ("Report.doc", "docx", "Report.docx"),
            ("Report.doc", "DOCX", "Report.docx"),
            ("Report", "docx", "Report.docx"),
            ("Report.docx", "pdfa", "Report.pdf"),
            ("Slide 1.pptx", "jpeg", "Slide 1.jpg"),
            ("my.report.odt", "pdf", "my.report.pdf"),
            (".bashrc", "txt", ".bashrc.txt"),
            ("..docx", "docx", "..docx.docx"),
            ("a.", "docx", "a.docx"),
            ("dir.x/file", "pdf", "dir.x/file.pdf"),
            ("", "pdf", "document.pdf"),
            ("", "", "document"),
            ("Report.doc", "", "Report.doc"),
        ] {
            assert_eq!(
                result_filename(filename, filetype),
                expected,
                "{filename} {filetype}"
            );
        }
    }

    proptest! {
        #[test]
        fn results_end_in_the_extension(stem in "[^./]{1,12}", ext in "[a-z]{0,5}", filetype in "[a-zA-Z]{1,5}") {
            let name = if ext.is_empty() { stem.clone() } else { format!("{stem}.{ext}") };
            let result = result_filename(&name, &filetype);
            let wanted = output_extension(&filetype);
            prop_assert!(result.to_lowercase().ends_with(&format!(".{wanted}")), "{} {}", result, wanted);
            prop_assert!(result.starts_with(&stem));
        }
    }
}
