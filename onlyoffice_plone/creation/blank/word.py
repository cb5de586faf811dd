"""A blank text document (docx)."""

from xml.sax.saxutils import quoteattr

from onlyoffice_plone.creation.blank.ooxml import CT_OOXML
from onlyoffice_plone.creation.blank.ooxml import REL
from onlyoffice_plone.creation.blank.ooxml import R
from onlyoffice_plone.creation.blank.ooxml import W
from onlyoffice_plone.creation.blank.ooxml import _app_props
from onlyoffice_plone.creation.blank.ooxml import _content_types
from onlyoffice_plone.creation.blank.ooxml import _core_props
from onlyoffice_plone.creation.blank.ooxml import _letter
from onlyoffice_plone.creation.blank.ooxml import _rels
from onlyoffice_plone.creation.blank.ooxml import _root_rels
from onlyoffice_plone.creation.blank.ooxml import _zip


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
