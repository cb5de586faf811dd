"""A blank spreadsheet (xlsx), its first sheet named in the language."""

from xml.sax.saxutils import quoteattr

from onlyoffice_plone.creation.blank.ooxml import CT_OOXML
from onlyoffice_plone.creation.blank.ooxml import REL
from onlyoffice_plone.creation.blank.ooxml import SHEET_NAMES
from onlyoffice_plone.creation.blank.ooxml import R
from onlyoffice_plone.creation.blank.ooxml import S
from onlyoffice_plone.creation.blank.ooxml import _app_props
from onlyoffice_plone.creation.blank.ooxml import _content_types
from onlyoffice_plone.creation.blank.ooxml import _core_props
from onlyoffice_plone.creation.blank.ooxml import _letter
from onlyoffice_plone.creation.blank.ooxml import _rels
from onlyoffice_plone.creation.blank.ooxml import _root_rels
from onlyoffice_plone.creation.blank.ooxml import _zip


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
