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

/// `name`, or the first of "stem (2).ext", "stem (3).ext", … that is none of `taken` (letter
/// case aside), as a file manager names a copy made beside a namesake. The number goes before
/// `.extension` when `name` ends with it (in any case), else at the end: a title that is not a
/// file name, "Budget (converted to xlsx)", becomes "Budget (converted to xlsx) (2)". A copy's
/// name goes on from its number ("report (2).docx" becomes "report (3).docx") when the name
/// without it is taken too; else the number in it is the name's own ("Minutes (2024).docx"
/// becomes "Minutes (2024) (2).docx", not a year later).
pub fn free_name<S: AsRef<str>>(name: &str, extension: &str, taken: &[S]) -> String {
    let taken: std::collections::HashSet<String> =
        taken.iter().map(|t| t.as_ref().to_lowercase()).collect();
    if !taken.contains(&name.to_lowercase()) {
        return name.to_owned();
    }
    let suffix_len = extension.len() + 1;
    let has_extension = !extension.is_empty()
        && name.len() > suffix_len
        && name.is_char_boundary(name.len() - suffix_len)
        && name[name.len() - suffix_len..].eq_ignore_ascii_case(&format!(".{extension}"));
    let (stem, ext) = if has_extension {
        name.split_at(name.len() - suffix_len)
    } else {
        (name, "")
    };
    let (base, mut number) = match numbered(stem) {
        Some((base, number)) if taken.contains(&format!("{base}{ext}").to_lowercase()) => {
            (base, number.saturating_add(1))
        }
        _ => (stem, 2),
    };
    // At most taken.len() + 1 candidates: one of them is free.
    loop {
        let candidate = format!("{base} ({number}){ext}");
        if !taken.contains(&candidate.to_lowercase()) {
            return candidate;
        }
        number = number.saturating_add(1);
    }
}

/// "report (2)" → ("report", 2); None for a stem without such an ending.
fn numbered(stem: &str) -> Option<(&str, u64)> {
    let inner = stem.strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let digits = &inner[open + 2..];
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = digits.parse().ok()?;
    (open > 0 && number >= 1).then(|| (&stem[..open], number))
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

    #[test]
    fn free_names() {
        let taken = [
            "Report.docx",
            "report (2).DOCX",
            "Budget (converted to xlsx)",
            "Notes",
            "Plan.docx",
            "Plan (7).docx",
            "Minutes (2024).docx",
        ];
        for (name, extension, expected) in [
            ("Other.docx", "docx", "Other.docx"),
            ("Report.docx", "docx", "Report (3).docx"),
            ("REPORT.DOCX", "docx", "REPORT (3).DOCX"),
            ("report (2).docx", "docx", "report (3).docx"),
            (
                "Budget (converted to xlsx)",
                "xlsx",
                "Budget (converted to xlsx) (2)",
            ),
            ("Notes", "docx", "Notes (2)"),
            ("Plan (7).docx", "docx", "Plan (8).docx"),
            ("Minutes (2024).docx", "docx", "Minutes (2024) (2).docx"),
            (".docx", "docx", ".docx"),
        ] {
            assert_eq!(free_name(name, extension, &taken), expected, "{name}");
        }
        // Only a real extension takes the number before it; a dot elsewhere is the stem's.
        assert_eq!(free_name("v1.2", "docx", &["v1.2"]), "v1.2 (2)");
        assert_eq!(free_name(".docx", "docx", &[".docx"]), ".docx (2)");
        assert_eq!(free_name("é.docx", "docx", &["É.DOCX"]), "é (2).docx");
        assert_eq!(free_name("(2)", "", &["(2)"]), "(2) (2)");
        assert_eq!(free_name("x (0)", "", &["x (0)"]), "x (0) (2)");
    }

    proptest! {
        #[test]
        fn free_names_are_free(name in "[a-zA-Z ().]{0,12}", others in proptest::collection::vec("[a-zA-Z ().]{0,12}", 0..8)) {
            let mut taken = others.clone();
            taken.push(name.clone());
            let free = free_name(&name, "docx", &taken);
            prop_assert!(taken.iter().all(|t| t.to_lowercase() != free.to_lowercase()), "{} {:?}", free, taken);
            prop_assert_eq!(free_name(&name, "docx", &others).to_lowercase() == name.to_lowercase(),
                !others.iter().any(|t| t.to_lowercase() == name.to_lowercase()));
        }

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
