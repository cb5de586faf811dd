"""Blank documents, written by this project's own code: docx, xlsx, pptx and a PDF form.

Each is the smallest complete file of its kind that office applications open without
complaint, with the language set where the format carries one (the default run properties
of a docx, the text of a pptx, the catalog of a PDF, the metadata of all OOXML files), a
paper size that suits the region (Letter in the US and Canada, A4 elsewhere) and, for
spreadsheets, the first sheet named in the language.

Generated on demand rather than checked in: every language is available without shipping
one file per language, the output is tiny (a few kilobytes, built in well under a
millisecond) and cached per (kind, language), and it is deterministic (fixed timestamps in the
zip), so the same request always yields the same bytes. ``python -m
onlyoffice_plone.creation.blank OUTDIR [LANG]`` writes them to disk for inspection.
"""

import functools
import io
import re
import sys
import zipfile
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

#: Fixed zip entry time, so that the same document always has the same bytes.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
KINDS = ("docx", "xlsx", "pptx", "pdf")

#: Language -> region, for a bare language tag.
DEFAULT_REGIONS = {
    "ar": "SA", "bg": "BG", "ca": "ES", "cs": "CZ", "da": "DK", "de": "DE", "el": "GR",
    "en": "US", "es": "ES", "et": "EE", "eu": "ES", "fi": "FI", "fr": "FR", "gl": "ES",
    "he": "IL", "hr": "HR", "hu": "HU", "id": "ID", "it": "IT", "ja": "JP", "ko": "KR",
    "lt": "LT", "lv": "LV", "nb": "NO", "nl": "NL", "no": "NO", "pl": "PL", "pt": "BR",
    "ro": "RO", "ru": "RU", "sk": "SK", "sl": "SI", "sr": "RS", "sv": "SE", "tr": "TR",
    "uk": "UA", "vi": "VN", "zh": "CN",
}  # fmt: skip
#: The first sheet's name in a new spreadsheet.
SHEET_NAMES = {
    "ca": "Full1", "cs": "List1", "da": "Ark1", "de": "Tabelle1", "es": "Hoja1",
    "fi": "Taul1", "fr": "Feuil1", "hu": "Munka1", "it": "Foglio1", "ja": "Sheet1",
    "nb": "Ark1", "nl": "Blad1", "no": "Ark1", "pl": "Arkusz1", "pt": "Planilha1",
    "ru": "\u041b\u0438\u0441\u04421", "sv": "Blad1", "tr": "Sayfa1",
    "uk": "\u0410\u0440\u043a\u0443\u04481", "zh": "Sheet1",
}  # fmt: skip
LETTER_REGIONS = ("US", "CA", "MX", "PH", "CL", "CO", "VE")

_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")

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
    """A BCP 47 tag with a region ("de" -> "de-DE", "pt-br" -> "pt-BR"); en-US if unusable."""
    language = (language or "").strip()
    if not _TAG.match(language):
        return "en-US"
    parts = re.split(r"[-_]", language)
    lang = parts[0].lower()
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    region = (region or DEFAULT_REGIONS.get(lang, "")).upper()
    return f"{lang}-{region}" if region else lang


def _letter(tag):
    return tag.rsplit("-", 1)[-1] in LETTER_REGIONS


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


def docx(tag):
    lang = quoteattr(tag)
    width, height = (12240, 15840) if _letter(tag) else (11906, 16838)
    document = (
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        f"<w:p><w:pPr><w:rPr><w:lang w:val={lang}/></w:rPr></w:pPr></w:p>"
        f'<w:sectPr><w:pgSz w:w="{width}" w:h="{height}"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
        'w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'
        "</w:body></w:document>"
    )
    styles = (
        f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>'
        '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
        '<w:sz w:val="22"/><w:szCs w:val="22"/>'
        f"<w:lang w:val={lang} w:eastAsia={lang} w:bidi={lang}/>"
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="160" w:line="259" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/></w:style>'
        "</w:styles>"
    )
    settings = (
        f'<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="720"/>'
        f"<w:themeFontLang w:val={lang}/>"
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"
    )
    word = CT_OOXML + "wordprocessingml."
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    [
                        ("/word/document.xml", word + "document.main+xml"),
                        ("/word/styles.xml", word + "styles+xml"),
                        ("/word/settings.xml", word + "settings+xml"),
                    ]
                ),
            ),
            ("_rels/.rels", _root_rels("word/document.xml")),
            ("word/document.xml", document),
            (
                "word/_rels/document.xml.rels",
                _rels(
                    ("rId1", REL + "styles", "styles.xml"),
                    ("rId2", REL + "settings", "settings.xml"),
                ),
            ),
            ("word/styles.xml", styles),
            ("word/settings.xml", settings),
            ("docProps/core.xml", _core_props(tag)),
            ("docProps/app.xml", _app_props()),
        ]
    )


# --- xlsx -------------------------------------------------------------------------------------


def xlsx(tag):
    sheet_name = SHEET_NAMES.get(tag.split("-")[0], "Sheet1")
    workbook = (
        f'<workbook xmlns="{S}" xmlns:r="{R}"><bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    sheet = (
        f'<worksheet xmlns="{S}" xmlns:r="{R}">'
        '<sheetViews><sheetView workbookViewId="0" tabSelected="1"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/>'
        f'<pageSetup paperSize="{1 if _letter(tag) else 9}" orientation="portrait"/>'
        "</worksheet>"
    )
    styles = (
        f'<styleSheet xmlns="{S}">'
        '<fonts count="1"><font><sz val="11"/><name val="Arial"/><family val="2"/></font>'
        "</fonts>"
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        "</borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    sml = CT_OOXML + "spreadsheetml."
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    [
                        ("/xl/workbook.xml", sml + "sheet.main+xml"),
                        ("/xl/worksheets/sheet1.xml", sml + "worksheet+xml"),
                        ("/xl/styles.xml", sml + "styles+xml"),
                    ]
                ),
            ),
            ("_rels/.rels", _root_rels("xl/workbook.xml")),
            ("xl/workbook.xml", workbook),
            (
                "xl/_rels/workbook.xml.rels",
                _rels(
                    ("rId1", REL + "worksheet", "worksheets/sheet1.xml"),
                    ("rId2", REL + "styles", "styles.xml"),
                ),
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/styles.xml", styles),
            ("docProps/core.xml", _core_props(tag)),
            ("docProps/app.xml", _app_props()),
        ]
    )


# --- pptx -------------------------------------------------------------------------------------

_NS_P = f'xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}"'
_GROUP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
    '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)
_COLORS = (
    ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
    ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"),
    ("accent6", "70AD47"), ("hlink", "0563C1"), ("folHlink", "954F72"),
)  # fmt: skip


def _placeholder(shape_id, name, kind, box, lang, size=None):
    geometry = "<p:spPr/>"
    if box:
        x, y, cx, cy = box
        geometry = (
            f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            "</p:spPr>"
        )
    run = f' sz="{size}"' if size else ""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f'<p:nvPr><p:ph type="{kind}"/></p:nvPr></p:nvSpPr>{geometry}'
        f"<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang={lang}{run}/></a:p>"
        "</p:txBody></p:sp>"
    )


def _theme():
    colors = "".join(f'<a:{n}><a:srgbClr val="{v}"/></a:{n}>' for n, v in _COLORS)
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="12700">{fill}</a:ln>'
    font = '<a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/>'
    return (
        f'<a:theme xmlns:a="{A}" name="Office"><a:themeElements>'
        '<a:clrScheme name="Office">'
        '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
        '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
        f"{colors}</a:clrScheme>"
        f'<a:fontScheme name="Office"><a:majorFont>{font}</a:majorFont>'
        f"<a:minorFont>{font}</a:minorFont></a:fontScheme>"
        '<a:fmtScheme name="Office">'
        f"<a:fillStyleLst>{fill * 3}</a:fillStyleLst>"
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}"
        "</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst>"
        "</a:fmtScheme></a:themeElements></a:theme>"
    )


def pptx(tag):
    lang = quoteattr(tag)
    title_box = (838200, 365125, 10515600, 1325563)
    body_box = (838200, 1825625, 10515600, 4351338)
    center_title = (1524000, 1122363, 9144000, 2387600)
    subtitle = (1524000, 3602038, 9144000, 1655762)
    level = (
        f'<a:defRPr lang={lang} sz="1800">'
        '<a:solidFill><a:schemeClr val="tx1"/></a:solidFill></a:defRPr>'
    )
    presentation = (
        f'<p:presentation {_NS_P} saveSubsetFonts="1">'
        '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>'
        '<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>'
        '<p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
        f"<p:defaultTextStyle><a:defPPr>{level}</a:defPPr>"
        f'<a:lvl1pPr marL="0" algn="l">{level}</a:lvl1pPr></p:defaultTextStyle>'
        "</p:presentation>"
    )
    master = (
        f"<p:sldMaster {_NS_P}><p:cSld>"
        '<p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'
        f"<p:spTree>{_GROUP}"
        + _placeholder(2, "Title Placeholder 1", "title", title_box, lang)
        + _placeholder(3, "Text Placeholder 2", "body", body_box, lang)
        + "</p:spTree></p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
        'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" '
        'accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
        '<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>'
        "<p:txStyles>"
        f'<p:titleStyle><a:lvl1pPr algn="l"><a:defRPr lang={lang} sz="4400">'
        '<a:solidFill><a:schemeClr val="tx1"/></a:solidFill></a:defRPr></a:lvl1pPr>'
        "</p:titleStyle>"
        f'<p:bodyStyle><a:lvl1pPr marL="228600" indent="-228600">{level}</a:lvl1pPr>'
        "</p:bodyStyle>"
        f"<p:otherStyle><a:defPPr>{level}</a:defPPr></p:otherStyle>"
        "</p:txStyles></p:sldMaster>"
    )
    layout = (
        f'<p:sldLayout {_NS_P} type="title" preserve="1"><p:cSld name="Title Slide">'
        f"<p:spTree>{_GROUP}"
        + _placeholder(2, "Title 1", "ctrTitle", center_title, lang, 6000)
        + _placeholder(3, "Subtitle 2", "subTitle", subtitle, lang, 2400)
        + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
        "</p:sldLayout>"
    )
    slide = (
        f"<p:sld {_NS_P}><p:cSld><p:spTree>{_GROUP}"
        + _placeholder(2, "Title 1", "ctrTitle", None, lang)
        + _placeholder(3, "Subtitle 2", "subTitle", None, lang)
        + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )
    pml = CT_OOXML + "presentationml."
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    [
                        ("/ppt/presentation.xml", pml + "presentation.main+xml"),
                        ("/ppt/slideMasters/slideMaster1.xml", pml + "slideMaster+xml"),
                        ("/ppt/slideLayouts/slideLayout1.xml", pml + "slideLayout+xml"),
                        ("/ppt/slides/slide1.xml", pml + "slide+xml"),
                        ("/ppt/theme/theme1.xml", CT_OOXML + "theme+xml"),
                    ]
                ),
            ),
            ("_rels/.rels", _root_rels("ppt/presentation.xml")),
            ("ppt/presentation.xml", presentation),
            (
                "ppt/_rels/presentation.xml.rels",
                _rels(
                    ("rId1", REL + "slideMaster", "slideMasters/slideMaster1.xml"),
                    ("rId2", REL + "slide", "slides/slide1.xml"),
                    ("rId3", REL + "theme", "theme/theme1.xml"),
                ),
            ),
            ("ppt/slideMasters/slideMaster1.xml", master),
            (
                "ppt/slideMasters/_rels/slideMaster1.xml.rels",
                _rels(
                    ("rId1", REL + "slideLayout", "../slideLayouts/slideLayout1.xml"),
                    ("rId2", REL + "theme", "../theme/theme1.xml"),
                ),
            ),
            ("ppt/slideLayouts/slideLayout1.xml", layout),
            (
                "ppt/slideLayouts/_rels/slideLayout1.xml.rels",
                _rels(("rId1", REL + "slideMaster", "../slideMasters/slideMaster1.xml")),
            ),
            ("ppt/slides/slide1.xml", slide),
            (
                "ppt/slides/_rels/slide1.xml.rels",
                _rels(("rId1", REL + "slideLayout", "../slideLayouts/slideLayout1.xml")),
            ),
            ("ppt/theme/theme1.xml", _theme()),
            ("docProps/core.xml", _core_props(tag)),
            ("docProps/app.xml", _app_props()),
        ]
    )


# --- PDF form ---------------------------------------------------------------------------------


def _pdf_string(text):
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_form(tag):
    """A one-page PDF with an AcroForm holding one text field (Docs makes forms as PDF)."""
    width, height = (612, 792) if _letter(tag) else (595, 842)
    left, top = 72, height - 72
    rect = f"[{left} {top - 24} {width - left} {top}]"
    field_width = width - 2 * left
    appearance = f"/Tx BMC\nEMC\n0 0 0 RG 0.5 w 0.25 0.25 {field_width - 0.5} 23.5 re S\n"
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Lang {_pdf_string(tag)} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
        "/Resources << /Font << /Helv 6 0 R >> >> /Annots [4 0 R] >>",
        "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Text1) /F 4 /P 3 0 R "
        f"/Rect {rect} /DA (/Helv 12 Tf 0 g) /MK << /BC [0 0 0] >> /V () "
        "/AP << /N 7 0 R >> >>",
        "<< /Fields [4 0 R] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 6 0 R >> >> >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Type /XObject /Subtype /Form /BBox [0 0 {field_width} 24] "
        f"/Resources << /Font << /Helv 6 0 R >> >> /Length {len(appearance)} >>\n"
        f"stream\n{appearance}endstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


_BUILDERS = {"docx": docx, "xlsx": xlsx, "pptx": pptx, "pdf": pdf_form}


@functools.lru_cache(maxsize=256)
def _blank(kind, tag):
    return _BUILDERS[kind](tag)


def blank(kind, language=None):
    """The blank ``kind`` ("docx", "xlsx", "pptx" or "pdf") for ``language``, as bytes."""
    if kind not in _BUILDERS:
        raise ValueError(f"no blank document of kind {kind!r}")
    return _blank(kind, language_tag(language))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m onlyoffice_plone.creation.blank OUTDIR [LANGUAGE]")
        return 2
    import pathlib

    outdir = pathlib.Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    language = argv[1] if len(argv) > 1 else "en"
    for kind in KINDS:
        path = outdir / f"blank-{language}.{kind}"
        path.write_bytes(blank(kind, language))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
