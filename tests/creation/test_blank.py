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


#: Plone's code for each shipped language -> the new documents' language tag and paper.
SHIPPED = [
    ("en", "en-US", "Letter"),
    ("cs", "cs-CZ", "A4"),
    ("de", "de-DE", "A4"),
    ("es", "es-ES", "A4"),
    ("fr", "fr-FR", "A4"),
    ("it", "it-IT", "A4"),
    ("ja", "ja-JP", "A4"),
    ("nl", "nl-NL", "A4"),
    ("pl", "pl-PL", "A4"),
    ("pt-br", "pt-BR", "A4"),
    ("ru", "ru-RU", "A4"),
    ("uk", "uk-UA", "A4"),
    ("zh-cn", "zh-CN", "A4"),
    # Regional variants where the paper differs from the language's default.
    ("en-gb", "en-GB", "A4"),
    ("en-ca", "en-CA", "Letter"),
    ("fr-ca", "fr-CA", "Letter"),
    ("es-mx", "es-MX", "Letter"),
    ("en-ph", "en-PH", "Letter"),
]
#: Paper -> (docx page width and height in twentieths of a point, xlsx paperSize, PDF points).
PAPER = {"A4": ((11906, 16838), 9, (595, 842)), "Letter": ((12240, 15840), 1, (612, 792))}


@pytest.mark.parametrize(("code", "tag", "paper"), SHIPPED, ids=[row[0] for row in SHIPPED])
def test_every_language_gets_its_tag_and_paper(code, tag, paper):
    (width, height), sheet_paper, (pdf_width, pdf_height) = PAPER[paper]
    with zipfile.ZipFile(io.BytesIO(blank.blank("docx", code))) as archive:
        document = archive.read("word/document.xml").decode()
        assert f'<w:pgSz w:w="{width}" w:h="{height}"/>' in document
        assert f'<w:lang w:val="{tag}"' in archive.read("word/styles.xml").decode()
        assert f'<w:themeFontLang w:val="{tag}"/>' in archive.read("word/settings.xml").decode()
        assert f"<dc:language>{tag}</dc:language>" in archive.read("docProps/core.xml").decode()
    with zipfile.ZipFile(io.BytesIO(blank.blank("xlsx", code))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        assert f'<pageSetup paperSize="{sheet_paper}"' in sheet
        assert f"<dc:language>{tag}</dc:language>" in archive.read("docProps/core.xml").decode()
    with zipfile.ZipFile(io.BytesIO(blank.blank("pptx", code))) as archive:
        assert f'lang="{tag}"' in archive.read("ppt/slides/slide1.xml").decode()
    form = blank.blank("pdf", code)
    assert f"/Lang ({tag})".encode() in form
    assert f"/MediaBox [0 0 {pdf_width} {pdf_height}]".encode() in form


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
