"""Convert to Office Open XML through the Docs double (real LibreOffice conversions)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from plone import api

from onlyoffice_docs_double import samples

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def xls_bytes(tmp_path_factory):
    """A real legacy .xls (made by LibreOffice from an ODF sample, once per session)."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    work = tmp_path_factory.mktemp("xls")
    (work / "sheet.ods").write_bytes(samples.ods("Legacy cell"))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(work),
            str(work / "sheet.ods"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (work / "sheet.xls").read_bytes()


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_odt_to_docx_as_new_item_opens_in_editor(site):
    source = site.add("minutes", samples.odt("Minutes of the meeting"), "minutes.odt")
    response = site.convert(source, "new")
    assert response.status_code == 201, response.text
    state = response.json()
    assert state["status"] == "done"
    assert state["created"] is True
    assert state["filename"] == "minutes.docx"
    assert state["edit_url"] == f"{state['url']}/@@onlyoffice-edit"
    site.sync()
    item = api.content.get(UID=state["uid"])
    assert item.aq_parent == site.folder
    assert item.file.contentType == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "Minutes of the meeting" in docx_text(item.file.data)
    # The original is untouched.
    assert site.folder["minutes"].file.filename == "minutes.odt"
    # The editor opens the new item for editing.
    config = site.get(f"{site.path(item)}/@onlyoffice-config?mode=edit").json()["config"]
    assert config["document"]["fileType"] == "docx"
    assert config["editorConfig"]["mode"] == "edit"


def test_repeating_the_final_step_makes_no_second_copy(site):
    source = site.add("notes", samples.odt("Notes"), "notes.odt")
    first = site.convert(source, "new").json()
    again = site.convert(source, "new")
    assert again.status_code == 200
    assert again.json()["uid"] == first["uid"]
    assert again.json()["created"] is False
    site.sync()
    assert sorted(site.folder.objectIds()) == ["notes", first["url"].rsplit("/", 1)[-1]]


def test_the_conversion_key_is_stable_per_document_and_format(site):
    source = site.add("stable", samples.odt("Stable"), "stable.odt")
    token = site.csrf(source)
    site.double.faults.conversion_delay = 3
    keys = []
    for _round in range(2):
        response = site.post(
            f"{site.path(source)}/@onlyoffice-convert",
            json={"target": "new"},
            headers={"X-CSRF-TOKEN": token},
        )
        assert response.status_code == 202, response.text
        assert response.json() == {"status": "running", "percent": 0}
        keys.append(sorted(site.double.conversions))
    assert keys[0] == keys[1] and len(keys[0]) == 1
    assert keys[0][0].endswith("_docx")
    assert keys[0][0].startswith("conv_conv-")


def test_xls_to_xlsx_replacing_the_file_keeps_the_old_one_as_a_version(site, xls_bytes):
    source = site.add("budget", xls_bytes, "budget.xls", title="Budget")
    response = site.convert(source, "replace")
    assert response.status_code == 200, response.text
    state = response.json()
    assert state["uid"] == api.content.get_uuid(source)
    assert state["filename"] == "budget.xlsx"
    assert state["edit_url"].endswith("/budget/@@onlyoffice-edit")
    site.sync()
    item = site.folder["budget"]
    assert item.Title() == "Budget"
    assert item.file.filename == "budget.xlsx"
    with zipfile.ZipFile(io.BytesIO(item.file.data)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
        assert b"Legacy cell" in archive.read("xl/sharedStrings.xml")
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        history = repository.getHistoryMetadata(item)
        versions = [
            history.retrieve(i)["metadata"]["sys_metadata"]["comment"]
            for i in range(history.getLength(countPurged=False))
        ]
        oldest_kept = repository.retrieve(item, history.getLength(countPurged=False) - 2)
    assert versions[-1] == "Converted from xls to xlsx with ONLYOFFICE"
    assert oldest_kept.object.file.filename == "budget.xls"
    assert oldest_kept.object.file.data == xls_bytes
    assert site.folder.objectIds() == ["budget"]


def test_replace_refuses_a_file_locked_by_someone_else(site):
    from plone.locking.interfaces import ILockable

    source = site.add("locked", samples.odt("Locked"), "locked.odt")
    with api.env.adopt_user(username="eddy"):
        ILockable(source).lock()
    import transaction

    transaction.commit()
    response = site.convert(source, "replace")
    assert response.status_code == 409
    assert response.json()["error"]["type"] == "Locked"


def test_nothing_to_convert_for_ooxml(site):
    source = site.add("report", samples.docx("Report"), "report.docx")
    response = site.convert(source, "new")
    assert response.status_code == 409
    assert response.json()["error"]["type"] == "NothingToConvert"
