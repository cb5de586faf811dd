"""The few facts about file formats the double needs (its own small table)."""

from __future__ import annotations

WORD = ("doc", "docm", "docx", "dot", "dotm", "dotx", "epub", "fb2", "fodt", "htm", "html",
        "mht", "odt", "ott", "rtf", "txt", "docxf", "oform", "djvu", "xps", "oxps")  # fmt: skip
CELL = ("csv", "fods", "ods", "ots", "xls", "xlsb", "xlsm", "xlsx", "xlt", "xltm", "xltx")
SLIDE = ("fodp", "odp", "otp", "pot", "potm", "potx", "pps", "ppsm", "ppsx", "ppt", "pptm", "pptx")
PDF = ("pdf",)

DOCUMENT_TYPES = ("word", "cell", "slide", "pdf", "diagram")
# Older names api.js still accepts.
LEGACY_DOCUMENT_TYPES = {"text": "word", "spreadsheet": "cell", "presentation": "slide"}
DEFAULT_FILE_TYPE = {"word": "docx", "cell": "xlsx", "slide": "pptx", "pdf": "pdf"}

# Output formats the conversion service knows by name (anything else is a bad request, -7).
KNOWN_OUTPUTS = frozenset(
    (*WORD, *CELL, *SLIDE, *PDF, "pdfa", "png", "jpg", "jpeg", "bmp", "gif", "ooxml", "odf")
)
# What the double can produce per document type, through LibreOffice.
CONVERT_TARGETS = {
    "word": (
        "docx",
        "odt",
        "pdf",
        "pdfa",
        "rtf",
        "txt",
        "html",
        "docm",
        "dotx",
        "ott",
        "epub",
        "png",
        "jpg",
    ),
    "cell": ("xlsx", "ods", "csv", "pdf", "pdfa", "xlsm", "xltx", "ots", "html", "png", "jpg"),
    "slide": ("pptx", "odp", "pdf", "pdfa", "pptm", "potx", "otp", "png", "jpg"),
    "pdf": ("pdf", "pdfa", "png", "jpg", "docx"),
}
OOXML = {"word": "docx", "cell": "xlsx", "slide": "pptx", "pdf": "pdf"}
ODF = {"word": "odt", "cell": "ods", "slide": "odp", "pdf": "pdf"}

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "rtf": "application/rtf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "zip": "application/zip",
}


def document_type(file_type: str) -> str | None:
    """word/cell/slide/pdf for an extension, or None when Docs would not open it."""
    ext = file_type.lower()
    if ext in PDF:
        return "pdf"
    if ext in WORD:
        return "word"
    if ext in CELL:
        return "cell"
    if ext in SLIDE:
        return "slide"
    return None


def mime_type(ext: str) -> str:
    return MIME.get(ext.lower(), "application/octet-stream")
