"""Real edits: each one turns a document into a valid file of the same format with new content.

What an edit does, per format:

- docx/docm/dotx: a paragraph with the text is appended to the body of ``word/document.xml``.
- xlsx/xlsm/xltx: a new last row of the first sheet gets the text as an inline string in column A.
- pptx/pptm/potx: a text box with the text is added to the first slide.
- odt/ods/odp (and ott/ots/otp): the same three edits in ODF ``content.xml``.
- txt: a line is appended; csv: a one-cell row is appended; html/htm: a paragraph before
  ``</body>``; rtf: a paragraph before the final brace.
- pdf: a PDF comment line is appended after the last ``%%EOF`` (readers ignore it, the file stays
  valid and its bytes change).

Other formats (doc, xls, ppt, ...) are ones Docs converts before editing; the double refuses to
edit them (UneditableFormat) rather than pretend.
Everything is done with zipfile and string edits of the XML, keeping each zip entry's order and
compression (ODF needs ``mimetype`` first and stored).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape


class UneditableFormat(Exception):
    """The double cannot make a real edit in this format."""


def apply_edit(data: bytes, file_type: str, text: str) -> bytes:
    """Return ``data`` with ``text`` added, in the same format."""
    ext = file_type.lower()
    editor = _EDITORS.get(ext)
    if editor is None:
        raise UneditableFormat(f"the test double cannot edit .{ext} files")
    return editor(data, text)


# --- zip plumbing -------------------------------------------------------------------------------


def _rewrite_zip(data: bytes, changes: dict[str, Callable[[str], str]]) -> bytes:
    """Copy a zip, passing the named text entries through their change functions."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            change = changes.get(info.filename)
            if change is not None:
                content = change(content.decode("utf-8")).encode("utf-8")
            new_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new_info.compress_type = info.compress_type
            new_info.external_attr = info.external_attr
            dst.writestr(new_info, content)
    missing = set(changes) - set(src.namelist())
    if missing:
        raise UneditableFormat(f"document has no {', '.join(sorted(missing))}")
    return out.getvalue()


def _read_text(data: bytes, name: str) -> str:
    try:
        return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")
    except (KeyError, zipfile.BadZipFile) as exc:
        raise UneditableFormat(f"not a readable package: {exc}") from exc


def _relationship_target(data: bytes, rels_name: str, rel_id: str, base_dir: str) -> str:
    rels = _read_text(data, rels_name)
    for match in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = match.group(0)
        if re.search(rf'\bId="{re.escape(rel_id)}"', tag):
            target = re.search(r'\bTarget="([^"]+)"', tag)
            if target:
                path = target.group(1)
                if path.startswith("/"):
                    return path.lstrip("/")
                return posixpath.normpath(posixpath.join(base_dir, path))
    raise UneditableFormat(f"relationship {rel_id} not found in {rels_name}")


def _prefix_of(xml: str, local_name: str) -> str:
    match = re.search(rf"<(?:(\w+):)?{local_name}[\s>/]", xml)
    if not match:
        raise UneditableFormat(f"no <{local_name}> element")
    return f"{match.group(1)}:" if match.group(1) else ""


def _zip_safe(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UneditableFormat("not a zip package (corrupt or encrypted?)")


# --- OOXML --------------------------------------------------------------------------------------


def _edit_docx(data: bytes, text: str) -> bytes:
    _zip_safe(data)

    def change(xml: str) -> str:
        w = _prefix_of(xml, "body")
        paragraph = f'<{w}p><{w}r><{w}t xml:space="preserve">{escape(text)}</{w}t></{w}r></{w}p>'
        end = xml.rfind(f"</{w}body>")
        if end < 0:
            raise UneditableFormat("document.xml has no closing body")
        # The body's own section properties must stay its last child.
        sect = xml.rfind(f"<{w}sectPr", 0, end)
        last_paragraph_end = xml.rfind(f"</{w}p>", 0, end)
        last_table_end = xml.rfind(f"</{w}tbl>", 0, end)
        if sect > max(last_paragraph_end, last_table_end):
            return xml[:sect] + paragraph + xml[sect:]
        return xml[:end] + paragraph + xml[end:]

    return _rewrite_zip(data, {"word/document.xml": change})


def _first_sheet_path(data: bytes) -> str:
    workbook = _read_text(data, "xl/workbook.xml")
    sheet = re.search(r"<(?:\w+:)?sheet\b[^>]*>", workbook)
    if not sheet:
        raise UneditableFormat("workbook has no sheet")
    rel = re.search(r'\br:id="([^"]+)"', sheet.group(0)) or re.search(
        r'\b\w+:id="([^"]+)"', sheet.group(0)
    )
    if not rel:
        raise UneditableFormat("sheet has no relationship id")
    return _relationship_target(data, "xl/_rels/workbook.xml.rels", rel.group(1), "xl")


def _edit_xlsx(data: bytes, text: str) -> bytes:
    _zip_safe(data)
    sheet_path = _first_sheet_path(data)

    def change(xml: str) -> str:
        p = _prefix_of(xml, "sheetData")
        rows = [int(n) for n in re.findall(rf'<{p}row\b[^>]*\br="(\d+)"', xml)]
        row_number = max(rows, default=0) + 1
        cell = (
            f'<{p}row r="{row_number}"><{p}c r="A{row_number}" t="inlineStr">'
            f"<{p}is><{p}t>{escape(text)}</{p}t></{p}is></{p}c></{p}row>"
        )
        empty = re.search(rf"<{p}sheetData\s*/>", xml)
        if empty:
            return (
                xml[: empty.start()] + f"<{p}sheetData>{cell}</{p}sheetData>" + xml[empty.end() :]
            )
        end = xml.find(f"</{p}sheetData>")
        if end < 0:
            raise UneditableFormat("sheet has no sheetData")
        xml = xml[:end] + cell + xml[end:]
        # Keep the used range honest so every reader sees the new row.
        return re.sub(
            rf'(<{p}dimension\b[^>]*\bref=")([A-Z]+\d+)(?::([A-Z]+)\d+)?(")',
            lambda m: f"{m.group(1)}A1:{m.group(3) or 'A'}{row_number}{m.group(4)}",
            xml,
            count=1,
        )

    return _rewrite_zip(data, {sheet_path: change})


def _first_slide_path(data: bytes) -> str:
    presentation = _read_text(data, "ppt/presentation.xml")
    slide = re.search(r"<(?:\w+:)?sldId\b[^>]*>", presentation)
    if not slide:
        raise UneditableFormat("presentation has no slide")
    rel = re.search(r'\br:id="([^"]+)"', slide.group(0))
    if not rel:
        raise UneditableFormat("slide has no relationship id")
    return _relationship_target(data, "ppt/_rels/presentation.xml.rels", rel.group(1), "ppt")


_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _edit_pptx(data: bytes, text: str) -> bytes:
    _zip_safe(data)
    slide_path = _first_slide_path(data)

    def change(xml: str) -> str:
        p = _prefix_of(xml, "spTree")
        a_prefix = re.search(rf'xmlns:(\w+)="{re.escape(_DRAWINGML)}"', xml)
        if a_prefix:
            a = a_prefix.group(1) + ":"
            ns_decl = ""
        else:
            a = "a:"
            ns_decl = f' xmlns:a="{_DRAWINGML}"'
        shape_id = max(
            (int(n) for n in re.findall(r'<\w*:?cNvPr\b[^>]*\bid="(\d+)"', xml)), default=1
        )
        shape_id += 1
        shape = (
            f"<{p}sp{ns_decl}><{p}nvSpPr>"
            f'<{p}cNvPr id="{shape_id}" name="Test double edit {shape_id}"/>'
            f'<{p}cNvSpPr txBox="1"/><{p}nvPr/></{p}nvSpPr>'
            f'<{p}spPr><{a}xfrm><{a}off x="457200" y="457200"/><{a}ext cx="8229600" cy="914400"/>'
            f'</{a}xfrm><{a}prstGeom prst="rect"><{a}avLst/></{a}prstGeom></{p}spPr>'
            f"<{p}txBody><{a}bodyPr/><{a}lstStyle/><{a}p><{a}r>"
            f'<{a}rPr lang="en-US"/><{a}t>{escape(text)}</{a}t></{a}r></{a}p></{p}txBody>'
            f"</{p}sp>"
        )
        end = xml.rfind(f"</{p}spTree>")
        if end < 0:
            raise UneditableFormat("slide has no shape tree")
        return xml[:end] + shape + xml[end:]

    return _rewrite_zip(data, {slide_path: change})


# --- ODF ----------------------------------------------------------------------------------------


def _odf_change(kind: str, text: str) -> Callable[[str], str]:
    t = escape(text)

    def change(xml: str) -> str:
        if kind == "text":
            end = xml.rfind("</office:text>")
            if end < 0:
                raise UneditableFormat("content.xml has no office:text")
            return xml[:end] + f"<text:p>{t}</text:p>" + xml[end:]
        if kind == "spreadsheet":
            end = xml.find("</table:table>")
            if end < 0:
                raise UneditableFormat("content.xml has no table")
            row = (
                '<table:table-row><table:table-cell office:value-type="string">'
                f"<text:p>{t}</text:p></table:table-cell></table:table-row>"
            )
            return xml[:end] + row + xml[end:]
        end = xml.find("</draw:page>")
        if end < 0:
            raise UneditableFormat("content.xml has no draw:page")
        frame = (
            '<draw:frame svg:width="20cm" svg:height="3cm" svg:x="1cm" svg:y="1cm">'
            f"<draw:text-box><text:p>{t}</text:p></draw:text-box></draw:frame>"
        )
        return xml[:end] + frame + xml[end:]

    return change


def _odf_editor(kind: str) -> Callable[[bytes, str], bytes]:
    def edit(data: bytes, text: str) -> bytes:
        _zip_safe(data)
        manifest = _read_text(data, "META-INF/manifest.xml")
        if "encryption-data" in manifest:
            raise UneditableFormat("the document is encrypted")
        return _rewrite_zip(data, {"content.xml": _odf_change(kind, text)})

    return edit


# --- plain formats ------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _edit_txt(data: bytes, text: str) -> bytes:
    body = _decode(data)
    if body and not body.endswith("\n"):
        body += "\n"
    return (body + text + "\n").encode("utf-8")


def _edit_csv(data: bytes, text: str) -> bytes:
    body = _decode(data)
    if body and not body.endswith("\n"):
        body += "\n"
    quoted = '"' + text.replace('"', '""') + '"'
    return (body + quoted + "\n").encode("utf-8")


def _edit_html(data: bytes, text: str) -> bytes:
    body = _decode(data)
    paragraph = f"<p>{escape(text)}</p>"
    end = body.lower().rfind("</body>")
    if end < 0:
        return (body + paragraph).encode("utf-8")
    return (body[:end] + paragraph + body[end:]).encode("utf-8")


def _edit_rtf(data: bytes, text: str) -> bytes:
    body = _decode(data)
    end = body.rfind("}")
    if not body.startswith("{\\rtf") or end < 0:
        raise UneditableFormat("not an RTF document")
    rtf_text = "".join(
        c if c.isascii() and c not in "\\{}" else f"\\u{ord(c)}?" for c in text
    ).replace("\\u92?", "\\\\")
    return (body[:end] + f"\\par {rtf_text}" + body[end:]).encode("latin-1", "replace")


def _edit_pdf(data: bytes, text: str) -> bytes:
    if not data.startswith(b"%PDF-"):
        raise UneditableFormat("not a PDF document")
    line = "% " + text.encode("ascii", "replace").decode("ascii")
    suffix = b"" if data.endswith(b"\n") else b"\n"
    return data + suffix + line.encode("ascii") + b"\n"


_EDITORS: dict[str, Callable[[bytes, str], bytes]] = {
    "docx": _edit_docx,
    "docm": _edit_docx,
    "dotx": _edit_docx,
    "xlsx": _edit_xlsx,
    "xlsm": _edit_xlsx,
    "xltx": _edit_xlsx,
    "pptx": _edit_pptx,
    "pptm": _edit_pptx,
    "potx": _edit_pptx,
    "odt": _odf_editor("text"),
    "ott": _odf_editor("text"),
    "ods": _odf_editor("spreadsheet"),
    "ots": _odf_editor("spreadsheet"),
    "odp": _odf_editor("presentation"),
    "otp": _odf_editor("presentation"),
    "txt": _edit_txt,
    "csv": _edit_csv,
    "html": _edit_html,
    "htm": _edit_html,
    "rtf": _edit_rtf,
    "pdf": _edit_pdf,
}
EDITABLE_FORMATS = frozenset(_EDITORS)
