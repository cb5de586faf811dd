"""The format table and classification of files."""

import json
from pathlib import Path

import pytest

from onlyoffice_plone import _core

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
FORMATS_JSON = REFERENCE / "onlyoffice-docs-formats.json"


def _reference_mimes(entry):
    # The reference lists one vsdx MIME as "a, b"; our table splits it into two.
    return [m.strip() for mime in entry["mime"] for m in mime.split(",")]


@pytest.mark.skipif(not FORMATS_JSON.exists(), reason="../shared/reference is not present")
def test_table_matches_the_reference_table():
    reference = {e["name"]: e for e in json.loads(FORMATS_JSON.read_text())}
    ours = {f.extension: f for f in _core.formats()}
    assert set(ours) == set(reference)
    for name, entry in reference.items():
        f = ours[name]
        assert (f.document_type or "") == entry["type"], name
        assert sorted(f.actions) == sorted(entry["actions"]), name
        assert list(f.convert_to) == entry["convert"], name
        assert list(f.mime_types) == _reference_mimes(entry), name


def test_format_rows_are_typed():
    docx = next(f for f in _core.formats() if f.extension == "docx")
    assert docx.document_type == "word"
    assert "edit" in docx.actions
    assert isinstance(docx.convert_to, tuple)
    assert docx.mime_types[0].endswith("wordprocessingml.document")
    png = next(f for f in _core.formats() if f.extension == "png")
    assert png.document_type is None
    assert "docx" in repr(docx)


def test_lossy_edit_extensions():
    lossy = _core.lossy_edit_extensions()
    assert {"odt", "ods", "odp", "csv", "txt", "rtf"} <= set(lossy)
    assert "docx" not in lossy


@pytest.mark.parametrize(
    ("filename", "extension", "document_type"),
    [
        ("Report.DOCX", "docx", "word"),
        ("budget.xlsx", "xlsx", "cell"),
        ("deck.PpTx", "pptx", "slide"),
        ("scan.pdf", "pdf", "pdf"),
        ("plan.vsdx", "vsdx", "diagram"),
        ("backup.tar.docx", "docx", "word"),
        ("C:\\Users\\ann\\Desktop\\notes.odt", "odt", "word"),
        ("/tmp/x/notes.ods", "ods", "cell"),
        ("trailing.docx.", "docx", "word"),
        ("spaces.docx  ", "docx", "word"),
        (".xlsx", "xlsx", "cell"),
    ],
)
def test_classifies_odd_names(filename, extension, document_type):
    c = _core.classify(filename)
    assert c is not None
    assert (c.extension, c.document_type) == (extension, document_type)


@pytest.mark.parametrize(
    "filename",
    ["README", "", "photo.png", "archive.docx.zip", "movie.mp4", "dir.docx/file", "x.", "."],
)
def test_non_office_files_are_none(filename):
    assert _core.classify(filename) is None


def test_mime_type_decides_when_the_name_does_not():
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert _core.classify("upload", docx_mime).extension == "docx"
    assert _core.classify(None, "Text/CSV; charset=UTF-8").extension == "csv"
    xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _core.classify(mime_type=xlsx_mime).extension == "xlsx"
    assert _core.classify(mime_type="application/msword").extension == "doc"
    assert _core.classify(mime_type="application/octet-stream") is None
    # a known extension wins over a generic MIME type
    assert _core.classify("a.pptx", "application/octet-stream").extension == "pptx"
    assert _core.classify() is None


def test_editable_ooxml():
    c = _core.classify("a.docx")
    assert c.can_view and c.can_edit and c.can_review and c.can_comment
    assert not c.lossy and not c.is_form and c.convert_to is None
    assert c.mime_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "pdf" in c.download_as and "docx" not in c.download_as


def test_lossy_formats_need_the_administrator():
    odt = _core.classify("a.odt")
    assert odt.lossy and odt.can_view and not odt.can_edit
    assert odt.convert_to == "docx"
    assert _core.classify("a.odt", lossy_edit=["odt"]).can_edit
    assert _core.classify("a.ODT", lossy_edit=(".Odt",)).can_edit
    assert not _core.classify("a.ods", lossy_edit=["odt"]).can_edit
    csv = _core.classify("a.csv", lossy_edit=["csv"])
    assert csv.can_edit and csv.convert_to is None


def test_legacy_formats_convert_to_ooxml():
    assert _core.classify("a.doc").convert_to == "docx"
    assert _core.classify("a.xls").convert_to == "xlsx"
    assert _core.classify("a.ppt").convert_to == "pptx"
    assert not _core.classify("a.doc").can_edit
    assert not _core.classify("a.doc", lossy_edit=["doc"]).can_edit


def test_forms_and_view_only():
    pdf = _core.classify("form.pdf")
    assert pdf.is_form and pdf.can_edit and pdf.document_type == "pdf"
    djvu = _core.classify("book.djvu")
    assert djvu.can_view and not djvu.can_edit and djvu.convert_to is None
    assert _core.classify("x.wpt").mime_type == "application/octet-stream"
    assert "docx" in repr(_core.classify("a.docx"))


def test_lossy_edit_must_be_a_sequence_of_str():
    with pytest.raises(TypeError):
        _core.classify("a.odt", lossy_edit="odt")


@pytest.mark.parametrize(
    ("document_type", "extension"),
    [("word", "docx"), ("cell", "xlsx"), ("slide", "pptx"), ("pdf", "pdf"), ("diagram", None)],
)
def test_new_files_are_ooxml(document_type, extension):
    assert _core.new_file_extension(document_type) == extension


def test_new_file_extension_refuses_unknown_document_types():
    with pytest.raises(_core.InvalidArgumentError):
        _core.new_file_extension("spreadsheet")


@pytest.mark.parametrize(
    ("outputtype", "extension"),
    [("pdfa", "pdf"), ("PDFA", "pdf"), ("jpeg", "jpg"), ("DOCX", "docx"), ("png", "png")],
)
def test_output_extension(outputtype, extension):
    assert _core.output_extension(outputtype) == extension


@pytest.mark.parametrize(
    ("filename", "filetype", "expected"),
    [
        ("Report.docx", "docx", "Report.docx"),
        ("Report.DOCX", "docx", "Report.DOCX"),
        ("Report.doc", "DOCX", "Report.docx"),
        ("Report", "docx", "Report.docx"),
        ("Report.docx", "pdfa", "Report.pdf"),
        ("Slide.pptx", "jpeg", "Slide.jpg"),
        ("my.report.odt", "pdf", "my.report.pdf"),
        (".bashrc", "txt", ".bashrc.txt"),
        ("", "pdf", "document.pdf"),
        ("", "", "document"),
        ("Report.doc", "", "Report.doc"),
    ],
)
def test_result_filename(filename, filetype, expected):
    assert _core.result_filename(filename, filetype) == expected


def test_free_name_numbers_a_name_another_item_has():
    taken = ["Report.docx", "report (2).docx", "Plan"]
    assert _core.free_name("report.docx", "docx", taken) == "report (3).docx"
    assert _core.free_name("Plan", "docx", taken) == "Plan (2)"
    assert _core.free_name("Other.docx", "docx", taken) == "Other.docx"
    assert _core.free_name("Other.docx", "docx", []) == "Other.docx"
