"""The blank documents the project writes itself: valid, localized, deterministic."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from xml.dom import minidom

import pytest

from onlyoffice_plone.creation import blank


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_ooxml_parts_are_well_formed(kind):
    with zipfile.ZipFile(io.BytesIO(blank.blank(kind, "de"))) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        for name in names:
            minidom.parseString(archive.read(name))
        types = archive.read("[Content_Types].xml").decode()
        for name in names:
            if name.endswith(".xml") and not name.startswith("["):
                assert f'PartName="/{name}"' in types, name


def test_language_is_carried():
    with zipfile.ZipFile(io.BytesIO(blank.blank("docx", "de"))) as archive:
        assert 'w:lang w:val="de-DE"' in archive.read("word/styles.xml").decode()
        assert "<dc:language>de-DE</dc:language>" in archive.read("docProps/core.xml").decode()
    with zipfile.ZipFile(io.BytesIO(blank.blank("pptx", "fr"))) as archive:
        assert 'lang="fr-FR"' in archive.read("ppt/slides/slide1.xml").decode()
    with zipfile.ZipFile(io.BytesIO(blank.blank("xlsx", "de"))) as archive:
        assert 'name="Tabelle1"' in archive.read("xl/workbook.xml").decode()
    assert b"/Lang (pt-BR)" in blank.blank("pdf", "pt-br")


def test_paper_size_follows_the_region():
    with zipfile.ZipFile(io.BytesIO(blank.blank("docx", "en"))) as archive:
        assert 'w:w="12240"' in archive.read("word/document.xml").decode()  # Letter
    with zipfile.ZipFile(io.BytesIO(blank.blank("docx", "en-gb"))) as archive:
        assert 'w:w="11906"' in archive.read("word/document.xml").decode()  # A4


@pytest.mark.parametrize(
    ("given", "tag"),
    [("de", "de-DE"), ("pt-br", "pt-BR"), ("en_GB", "en-GB"), ("", "en-US"), ("x<y", "en-US")],
)
def test_language_tags(given, tag):
    assert blank.language_tag(given) == tag


def test_deterministic():
    for kind in blank.KINDS:
        first = blank._BUILDERS[kind]("de-DE")
        assert first == blank._BUILDERS[kind]("de-DE")


def test_pdf_form_structure():
    data = blank.blank("pdf", "en")
    assert data.startswith(b"%PDF-1.7")
    assert b"/AcroForm 5 0 R" in data and b"/FT /Tx" in data
    # The cross-reference table points at every object.
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[xref:].startswith(b"xref")
    entries = data[xref:].split(b"\n")[3:10]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(f"{number} 0 obj".encode())


@pytest.mark.slow
def test_libreoffice_opens_every_blank(tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    for kind in ("docx", "xlsx", "pptx"):
        (tmp_path / f"blank-{kind}.{kind}").write_bytes(blank.blank(kind, "de"))
    (tmp_path / "form.pdf").write_bytes(blank.blank("pdf", "de"))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    for target, files in (
        ("pdf", ["blank-docx.docx", "blank-xlsx.xlsx", "blank-pptx.pptx"]),
        ("png", ["form.pdf"]),
    ):
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", target, "--outdir",
             str(tmp_path / "out"), *(str(tmp_path / f) for f in files)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    for name in ("blank-docx.pdf", "blank-xlsx.pdf", "blank-pptx.pdf"):
        assert (tmp_path / "out" / name).read_bytes().startswith(b"%PDF"), name
    assert (tmp_path / "out" / "form.png").read_bytes().startswith(b"\x89PNG")
