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
import sys

from onlyoffice_plone.creation.blank.ooxml import language_tag
from onlyoffice_plone.creation.blank.pdf import pdf_form
from onlyoffice_plone.creation.blank.sheet import xlsx
from onlyoffice_plone.creation.blank.slides import pptx
from onlyoffice_plone.creation.blank.word import docx

KINDS = ("docx", "xlsx", "pptx", "pdf")
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


__all__ = ["KINDS", "blank", "docx", "language_tag", "main", "pdf_form", "pptx", "xlsx"]
