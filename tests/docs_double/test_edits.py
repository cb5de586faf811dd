"""Real edits: valid files of the same format whose content changed."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from onlyoffice_docs_double import UneditableFormat
from onlyoffice_docs_double import apply_edit
from onlyoffice_docs_double import samples

TEXT = 'Edited by Ann <&> "quoted" at 12:00'


def _part(data, name):
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def _texts(xml):
    return [el.text for el in ET.fromstring(xml).iter() if el.text]


@pytest.mark.parametrize(
    ("ext", "part"),
    [
        ("docx", "word/document.xml"),
        ("xlsx", "xl/worksheets/sheet1.xml"),
        ("pptx", "ppt/slides/slide1.xml"),
        ("odt", "content.xml"),
        ("ods", "content.xml"),
        ("odp", "content.xml"),
    ],
)
def test_package_formats_get_the_text_in_well_formed_xml(ext, part):
    original = samples.sample(ext, "Original")
    edited = apply_edit(original, ext, TEXT)
    assert edited != original
    texts = _texts(_part(edited, part))
    assert "Original" in texts
    assert TEXT in texts
    twice = apply_edit(edited, ext, "second")
    assert {"Original", TEXT, "second"} <= set(_texts(_part(twice, part)))


def test_docx_paragraph_goes_before_the_section_properties():
    xml = _part(apply_edit(samples.docx("Original"), "docx", TEXT), "word/document.xml")
    assert xml.index("Edited by Ann") < xml.index("<w:sectPr")


def test_xlsx_edit_sets_a_new_cell_in_the_next_row():
    xml = _part(apply_edit(samples.xlsx("Original"), "xlsx", TEXT), "xl/worksheets/sheet1.xml")
    assert '<c r="A2" t="inlineStr">' in xml
    assert '<dimension ref="A1:A2"/>' in xml


def test_odf_keeps_mimetype_first_and_stored():
    edited = apply_edit(samples.odt("Original"), "odt", TEXT)
    first = zipfile.ZipFile(io.BytesIO(edited)).infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)


@pytest.mark.parametrize("ext", ["txt", "csv", "html", "rtf"])
def test_plain_formats_get_the_text(ext):
    edited = apply_edit(samples.sample(ext, "Original"), ext, "Edited by Ann")
    assert b"Original" in edited
    assert b"Edited by Ann" in edited


def test_pdf_gets_a_trailing_comment():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    edited = apply_edit(pdf, "pdf", "Edited by Ann")
    assert edited.startswith(pdf)
    assert edited.endswith(b"% Edited by Ann\n")


@pytest.mark.parametrize(("ext", "data"), [("doc", b"\xd0\xcf\x11\xe0"), ("docx", b"not a zip")])
def test_what_cannot_be_edited_is_refused(ext, data):
    with pytest.raises(UneditableFormat):
        apply_edit(data, ext, TEXT)


def test_encrypted_odf_is_refused():
    with pytest.raises(UneditableFormat):
        apply_edit(samples.odt(encrypted=True), "odt", TEXT)
