"""A blank presentation (pptx): a title slide with its layout, master and theme."""

from xml.sax.saxutils import quoteattr

from onlyoffice_plone.creation.blank.ooxml import CT_OOXML
from onlyoffice_plone.creation.blank.ooxml import REL
from onlyoffice_plone.creation.blank.ooxml import A
from onlyoffice_plone.creation.blank.ooxml import P
from onlyoffice_plone.creation.blank.ooxml import R
from onlyoffice_plone.creation.blank.ooxml import _app_props
from onlyoffice_plone.creation.blank.ooxml import _content_types
from onlyoffice_plone.creation.blank.ooxml import _core_props
from onlyoffice_plone.creation.blank.ooxml import _rels
from onlyoffice_plone.creation.blank.ooxml import _root_rels
from onlyoffice_plone.creation.blank.ooxml import _zip

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
