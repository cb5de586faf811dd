"""A blank PDF form: one page with one text field (Docs makes forms as PDF)."""

import io

from onlyoffice_plone.creation.blank.ooxml import _letter


def pdf_string(text):
    """``text`` as a PDF literal string."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_file(objects):
    """A PDF file of ``objects`` (their bodies, numbered from 1; object 1 is the catalog)."""
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


def pdf_form(tag):
    """A one-page PDF with an AcroForm holding one text field (Docs makes forms as PDF)."""
    width, height = (612, 792) if _letter(tag) else (595, 842)
    left, top = 72, height - 72
    rect = f"[{left} {top - 24} {width - left} {top}]"
    field_width = width - 2 * left
    appearance = f"/Tx BMC\nEMC\n0 0 0 RG 0.5 w 0.25 0.25 {field_width - 0.5} 23.5 re S\n"
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R /Lang {pdf_string(tag)} >>",
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
    return pdf_file(objects)
