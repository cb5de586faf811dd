"""The sample documents ``make run`` puts into a new site: one of each kind the add-on edits.

Built in code, not checked in: the office files by the Docs test double's own builders
(``onlyoffice_docs_double.samples``, small valid OOXML and ODF packages that LibreOffice
opens), the PDF form here (a one-page PDF with an AcroForm of two labelled text fields).
Each tells the reader what to try with it.

    python scripts/first_run_samples.py OUTDIR     # write them to disk to look at them
"""

import sys
from pathlib import Path

from onlyoffice_docs_double import samples
from onlyoffice_plone.creation.blank.pdf import pdf_file
from onlyoffice_plone.creation.blank.pdf import pdf_string

FOLDER_ID = "onlyoffice-samples"
FOLDER_TITLE = "ONLYOFFICE samples"
FOLDER_DESCRIPTION = (
    "Sample documents to try ONLYOFFICE with: open one, edit it, open it again in a second "
    "browser to edit it together, look at its versions, convert it or download it as PDF."
)

#: (file name, title, what it says). The text is the document's visible content.
SAMPLES = (
    (
        "welcome.docx",
        "Welcome (Word document)",
        "Welcome to ONLYOFFICE in Plone. Choose Edit to change this document, and open it in a "
        "second browser as another user to edit it together. When the last editor leaves, "
        "Plone keeps a new version (see History). Download as turns it into a PDF or ODT.",
    ),
    ("budget.xlsx", "Budget (spreadsheet)", "Budget 2026: add a row, then compare versions."),
    (
        "slides.pptx",
        "Slides (presentation)",
        "ONLYOFFICE in Plone: edit, co-edit, versions, convert, download as.",
    ),
    (
        "meeting-notes.odt",
        "Meeting notes (OpenDocument text)",
        "Meeting notes in OpenDocument format: edit them as they are, or convert them to DOCX.",
    ),
    ("registration-form.pdf", "Registration form (fillable PDF)", "Registration form"),
)


def pdf_form(title, labels=("Name", "Email")):
    """A one-page A4 PDF: ``title`` and one fillable text field per label, each labelled."""
    width, height = 595, 842
    left, field_left, field_right = 72, 160, width - 72
    # Objects 1-4: catalog, pages, page, font; then per field a widget and its appearance;
    # then the page's content stream and the AcroForm.
    widgets, texts = [], [f"BT /Helv 18 Tf {left} {height - 90} Td {pdf_string(title)} Tj ET"]
    objects = {}
    number = 5
    for index, label in enumerate(labels):
        top = height - 140 - index * 48
        box_width = field_right - field_left
        appearance = f"/Tx BMC\nEMC\n0 0 0 RG 0.5 w 0.25 0.25 {box_width - 0.5} 23.5 re S\n"
        objects[number + 1] = (
            f"<< /Type /XObject /Subtype /Form /BBox [0 0 {box_width} 24] "
            f"/Resources << /Font << /Helv 4 0 R >> >> /Length {len(appearance)} >>\n"
            f"stream\n{appearance}endstream"
        )
        objects[number] = (
            f"<< /Type /Annot /Subtype /Widget /FT /Tx /T {pdf_string(label)} /F 4 /P 3 0 R "
            f"/TU {pdf_string(label)} /Rect [{field_left} {top - 24} {field_right} {top}] "
            f"/DA (/Helv 12 Tf 0 g) /MK << /BC [0 0 0] >> /V () /AP << /N {number + 1} 0 R >> >>"
        )
        widgets.append(f"{number} 0 R")
        texts.append(f"BT /Helv 12 Tf {left} {top - 16} Td {pdf_string(label)} Tj ET")
        number += 2
    content = "\n".join(texts) + "\n"
    content_number, form_number = number, number + 1
    objects[content_number] = f"<< /Length {len(content)} >>\nstream\n{content}endstream"
    objects[form_number] = (
        f"<< /Fields [{' '.join(widgets)}] /DA (/Helv 0 Tf 0 g) "
        "/DR << /Font << /Helv 4 0 R >> >> >>"
    )
    objects[1] = f"<< /Type /Catalog /Pages 2 0 R /AcroForm {form_number} 0 R /Lang (en) >>"
    objects[2] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objects[3] = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
        f"/Resources << /Font << /Helv 4 0 R >> >> /Contents {content_number} 0 R "
        f"/Annots [{' '.join(widgets)}] >>"
    )
    objects[4] = (
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    return pdf_file([objects[number] for number in range(1, len(objects) + 1)])


def sample_files():
    """``[(file name, title, bytes)]`` for every sample, in the folder's order."""
    files = []
    for filename, title, text in SAMPLES:
        ext = filename.rsplit(".", 1)[1]
        data = pdf_form(text) if ext == "pdf" else samples.sample(ext, text)
        files.append((filename, title, data))
    return files


def main(argv):
    if len(argv) != 1:
        print("usage: python scripts/first_run_samples.py OUTDIR")
        return 2
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    for filename, _title, data in sample_files():
        (outdir / filename).write_bytes(data)
        print(outdir / filename)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
