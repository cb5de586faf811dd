"""Tiny, valid office documents built in code (no binary fixtures), for tests and demos.

``sample(ext, text)`` returns a document of that format whose visible content is ``text``.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_DOC = _DOC_REL + "/officeDocument"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def _zip(entries: list[tuple[str, str]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for index, (name, content) in enumerate(entries):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            stored = stored_first and index == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    return out.getvalue()


def _rels(*rels: tuple[str, str, str]) -> str:
    body = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels
    )
    return f'{_XML}<Relationships xmlns="{_PKG_RELS}">{body}</Relationships>'


def _content_types(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    d = "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults.items())
    o = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    return f'{_XML}<Types xmlns="{ns}">{d}{o}</Types>'


_DEFAULTS = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
}


def docx(text: str = "Hello from the test double") -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'{_XML}<w:document xmlns:w="{w}"><w:body>'
        f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
        "</w:body></w:document>"
    )
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", _content_types(_DEFAULTS, {"/word/document.xml": main})),
            ("_rels/.rels", _rels(("rId1", _OFFICE_DOC, "word/document.xml"))),
            ("word/document.xml", document),
        ]
    )


def xlsx(text: str = "Hello from the test double") -> bytes:
    s = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    workbook = (
        f'{_XML}<workbook xmlns="{s}" xmlns:r="{_DOC_REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet = (
        f'{_XML}<worksheet xmlns="{s}"><dimension ref="A1"/><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{escape(text)}</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    _DEFAULTS,
                    {
                        "/xl/workbook.xml": f"{ct}.sheet.main+xml",
                        "/xl/worksheets/sheet1.xml": f"{ct}.worksheet+xml",
                    },
                ),
            ),
            ("_rels/.rels", _rels(("rId1", _OFFICE_DOC, "xl/workbook.xml"))),
            ("xl/workbook.xml", workbook),
            (
                "xl/_rels/workbook.xml.rels",
                _rels(("rId1", _DOC_REL + "/worksheet", "worksheets/sheet1.xml")),
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
    )


_THEME = (
    f'{_XML}<a:theme xmlns:a="{_A}" name="Double"><a:themeElements>'
    '<a:clrScheme name="Double"><a:dk1><a:srgbClr val="000000"/></a:dk1>'
    '<a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2>'
    '<a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4F81BD"/></a:accent1>'
    '<a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr val="9BBB59"/>'
    '</a:accent3><a:accent4><a:srgbClr val="8064A2"/></a:accent4><a:accent5>'
    '<a:srgbClr val="4BACC6"/></a:accent5><a:accent6><a:srgbClr val="F79646"/></a:accent6>'
    '<a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/>'
    '</a:folHlink></a:clrScheme><a:fontScheme name="Double"><a:majorFont>'
    '<a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>'
    '<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>'
    '</a:minorFont></a:fontScheme><a:fmtScheme name="Double"><a:fillStyleLst>'
    '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill>'
    '<a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/>'
    '</a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="9525"><a:solidFill>'
    '<a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="25400"><a:solidFill>'
    '<a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="38100"><a:solidFill>'
    '<a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst>'
    "<a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/>"
    "</a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>"
    '<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill>'
    '<a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/>'
    "</a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"
)
_EMPTY_TREE = (
    '<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
    "</p:nvGrpSpPr><p:grpSpPr/>{shapes}</p:spTree></p:cSld>"
)


def pptx(text: str = "Hello from the test double") -> bytes:
    ns = f'xmlns:a="{_A}" xmlns:r="{_DOC_REL}" xmlns:p="{_P}"'
    shape = (
        '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text 1"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
        '</p:nvSpPr><p:spPr><a:xfrm><a:off x="457200" y="1600200"/>'
        '<a:ext cx="8229600" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        '</a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/>'
        f"<a:t>{escape(text)}</a:t></a:r></a:p></p:txBody></p:sp>"
    )
    presentation = (
        f"{_XML}<p:presentation {ns}>"
        '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>'
        '<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>'
        '<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
        "</p:presentation>"
    )
    master = (
        f"{_XML}<p:sldMaster {ns}>{_EMPTY_TREE.format(shapes='')}"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
        'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
        'folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/>'
        "</p:sldLayoutIdLst></p:sldMaster>"
    )
    layout = (
        f'{_XML}<p:sldLayout {ns} type="blank">{_EMPTY_TREE.format(shapes="")}'
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )
    slide = (
        f"{_XML}<p:sld {ns}>{_EMPTY_TREE.format(shapes=shape)}"
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )
    ct = "application/vnd.openxmlformats-officedocument.presentationml"
    rel = _DOC_REL + "/"
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types(
                    _DEFAULTS,
                    {
                        "/ppt/presentation.xml": f"{ct}.presentation.main+xml",
                        "/ppt/slideMasters/slideMaster1.xml": f"{ct}.slideMaster+xml",
                        "/ppt/slideLayouts/slideLayout1.xml": f"{ct}.slideLayout+xml",
                        "/ppt/slides/slide1.xml": f"{ct}.slide+xml",
                        "/ppt/theme/theme1.xml": "application/vnd.openxmlformats-officedocument"
                        ".theme+xml",
                    },
                ),
            ),
            ("_rels/.rels", _rels(("rId1", _OFFICE_DOC, "ppt/presentation.xml"))),
            ("ppt/presentation.xml", presentation),
            (
                "ppt/_rels/presentation.xml.rels",
                _rels(
                    ("rId1", rel + "slideMaster", "slideMasters/slideMaster1.xml"),
                    ("rId2", rel + "slide", "slides/slide1.xml"),
                    ("rId3", rel + "theme", "theme/theme1.xml"),
                ),
            ),
            ("ppt/slideMasters/slideMaster1.xml", master),
            (
                "ppt/slideMasters/_rels/slideMaster1.xml.rels",
                _rels(
                    ("rId1", rel + "slideLayout", "../slideLayouts/slideLayout1.xml"),
                    ("rId2", rel + "theme", "../theme/theme1.xml"),
                ),
            ),
            ("ppt/slideLayouts/slideLayout1.xml", layout),
            (
                "ppt/slideLayouts/_rels/slideLayout1.xml.rels",
                _rels(("rId1", rel + "slideMaster", "../slideMasters/slideMaster1.xml")),
            ),
            ("ppt/slides/slide1.xml", slide),
            (
                "ppt/slides/_rels/slide1.xml.rels",
                _rels(("rId1", rel + "slideLayout", "../slideLayouts/slideLayout1.xml")),
            ),
            ("ppt/theme/theme1.xml", _THEME),
        ]
    )


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'office:version="1.3"'
)
_ODF_MIME = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def _odf(ext: str, body: str, *, encrypted: bool = False) -> bytes:
    mime = _ODF_MIME[ext]
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
        'manifest:initialisation-vector="AAAA"/></manifest:encryption-data>'
        if encrypted
        else ""
    )
    manifest = (
        f"{_XML}"
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{encryption}</manifest:file-entry></manifest:manifest>"
    )
    content = (
        f"{_XML}<office:document-content {_ODF_NS}><office:body>{body}</office:body>"
        "</office:document-content>"
    )
    return _zip(
        [("mimetype", mime), ("META-INF/manifest.xml", manifest), ("content.xml", content)],
        stored_first=True,
    )


def odt(text: str = "Hello from the test double", *, encrypted: bool = False) -> bytes:
    return _odf(
        "odt", f"<office:text><text:p>{escape(text)}</text:p></office:text>", encrypted=encrypted
    )


def ods(text: str = "Hello from the test double") -> bytes:
    body = (
        '<office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
        f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
    )
    return _odf("ods", body)


def odp(text: str = "Hello from the test double") -> bytes:
    body = (
        '<office:presentation><draw:page draw:name="Slide 1">'
        '<draw:frame svg:width="20cm" svg:height="3cm" svg:x="2cm" svg:y="4cm"><draw:text-box>'
        f"<text:p>{escape(text)}</text:p></draw:text-box></draw:frame></draw:page>"
        "</office:presentation>"
    )
    return _odf("odp", body)


def encrypted_ooxml() -> bytes:
    """The start of what Office writes for a password-protected docx/xlsx/pptx: an OLE
    compound file (it holds EncryptionInfo and EncryptedPackage streams), not a zip."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16 + bytes.fromhex("3e000300feff0900")
    return header + b"\0" * (512 - len(header)) + "EncryptionInfo".encode("utf-16-le")


def sample(ext: str, text: str = "Hello from the test double") -> bytes:
    """A small valid document of format ``ext`` showing ``text``."""
    ext = ext.lower()
    builders = {"docx": docx, "xlsx": xlsx, "pptx": pptx, "odt": odt, "ods": ods, "odp": odp}
    if ext in builders:
        return builders[ext](text)
    if ext == "txt":
        return (text + "\n").encode("utf-8")
    if ext == "csv":
        return f'"{text}"\n'.encode()
    if ext in ("html", "htm"):
        return f"<!DOCTYPE html><html><body><p>{escape(text)}</p></body></html>".encode()
    if ext == "rtf":
        return ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}} " + text + "}").encode("latin-1")
    raise ValueError(f"no sample for .{ext}")
