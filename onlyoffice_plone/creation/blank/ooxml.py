"""What every blank shares: the language tag and region, the paper size, the zip and the
Office Open XML package parts (content types, relationships, properties)."""

import io
import zipfile
from xml.sax.saxutils import escape

from onlyoffice_plone import core

#: Fixed zip entry time, so that the same document always has the same bytes.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)

#: The first sheet's name in a new spreadsheet.
SHEET_NAMES = {
    "ca": "Full1", "cs": "List1", "da": "Ark1", "de": "Tabelle1", "es": "Hoja1",
    "fi": "Taul1", "fr": "Feuil1", "hu": "Munka1", "it": "Foglio1", "ja": "Sheet1",
    "nb": "Ark1", "nl": "Blad1", "no": "Ark1", "pl": "Arkusz1", "pt": "Planilha1",
    "ru": "\u041b\u0438\u0441\u04421", "sv": "Blad1", "tr": "Sayfa1",
    "uk": "\u0410\u0440\u043a\u0443\u04481", "zh": "Sheet1",
}  # fmt: skip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_OOXML = "application/vnd.openxmlformats-officedocument."
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def language_tag(language):
    """A BCP 47 tag with a region ("de" -> "de-DE", "pt-br" -> "pt-BR"); en-US if unusable.

    The core decides (the editor's region comes from the same decision)."""
    return core.locale_for(language).tag


def _letter(tag):
    """Whether a document in ``tag``'s region is on US Letter paper (A4 otherwise)."""
    return core.locale_for(tag).paper == "Letter"


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (XML_DECL + text).encode("utf-8"))
    return buffer.getvalue()


def _content_types(overrides):
    items = "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{items}"
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        f'ContentType="{CT_OOXML}extended-properties+xml"/>'
        "</Types>"
    )


def _rels(*relations):
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
        for rid, kind, target in relations
    )
    return f'<Relationships xmlns="{PKG_RELS}">{items}</Relationships>'


def _root_rels(main):
    return _rels(
        ("rId1", REL + "officeDocument", main),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
            "core-properties",
            "docProps/core.xml",
        ),
        ("rId3", REL + "extended-properties", "docProps/app.xml"),
    )


def _core_props(tag):
    return (
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:language>{escape(tag)}</dc:language>"
        "</cp:coreProperties>"
    )


def _app_props():
    return (
        "<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>onlyoffice_plone</Application>"
        "</Properties>"
    )


# --- docx -------------------------------------------------------------------------------------
