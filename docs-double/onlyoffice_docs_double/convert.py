"""The conversion service, done for real with LibreOffice headless.

A conversion is identified as Docs does, by ``conv_<key>_<outputtype>``: the first request
starts it; async requests answer ``{endConvert: false, percent: 0}`` until it is done (poll by
repeating the request), sync ones wait. A finished conversion answers with the same result to
every repeat. Errors are Docs' public codes:

- -2 timeout, -3 conversion error (LibreOffice failed or missing, a pair it cannot convert, a
  corrupt package), -4 download error, -5 password protected (an OOXML file that is an encrypted
  OLE container, an ODF package with encryption data), -7 bad request (no key or url, a key or
  filetype with bad characters, an ``outputtype`` Docs does not know: the server answers -7 for
  that, not -9), -8 bad token (see the server), -9 input format not detected (no ``filetype``
  and none in the url), -10 size limit.

Converting a file to its own format (e.g. txt to txt, as connection checks do) copies it and
needs no LibreOffice. When LibreOffice (``soffice``) is not installed, every other conversion
answers -3.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from . import formats
from .cache import CacheStore
from .download import DownloadError
from .faults import Faults

log = logging.getLogger("onlyoffice_docs_double")

TIMEOUT = -2
CONVERSION_ERROR = -3
DOWNLOAD_ERROR = -4
PASSWORD = -5
BAD_REQUEST = -7
BAD_TOKEN = -8
NOT_DETECTED = -9
SIZE_LIMIT = -10

KEY_PATTERN = re.compile(r"^[0-9a-zA-Z\-._=]+$")
EXT_PATTERN = re.compile(r"^[a-zA-Z0-9]{1,10}$")
PASSWORD_MAX_LENGTH = 128
OOXML_FAMILY = ("docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm", "pptx",
                "pptm", "potx", "potm", "ppsx", "ppsm")  # fmt: skip
ODF_FAMILY = ("odt", "ott", "ods", "ots", "odp", "otp")
CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")

_FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "pptx": "pptx:Impress MS PowerPoint 2007 XML",
    "txt": "txt:Text (encoded):UTF8",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76",
}
_PDF_EXPORT = {"word": "writer", "cell": "calc", "slide": "impress", "pdf": "draw"}


class _ProfilePool:
    """LibreOffice user profiles shared by every double in the process.

    A profile in use by one soffice process cannot serve another, and a fresh one costs seconds
    on first start, so finished profiles are kept for the next conversion.
    """

    def __init__(self) -> None:
        self._free: list[str] = []
        self._lock = threading.Lock()
        self._base: str | None = None

    def take(self) -> str:
        with self._lock:
            if self._free:
                return self._free.pop()
            if self._base is None:
                self._base = tempfile.mkdtemp(prefix="docs-double-lo-")
                atexit.register(shutil.rmtree, self._base, True)
            return tempfile.mkdtemp(prefix="profile-", dir=self._base)

    def give(self, profile: str) -> None:
        with self._lock:
            self._free.append(profile)


PROFILES = _ProfilePool()


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass
class Conversion:
    id: str
    output_ext: str
    done: threading.Event = field(default_factory=threading.Event)
    error: int | None = None
    file_url: str | None = None
    detail: str = ""

    def reply(self) -> dict[str, Any]:
        if self.error is not None:
            return {"error": self.error}
        if not self.done.is_set():
            return {"endConvert": False, "percent": 0}
        return {
            "endConvert": True,
            "fileType": self.output_ext,
            "fileUrl": self.file_url,
            "percent": 100,
        }


class ConversionService:
    def __init__(
        self,
        *,
        fetch: Callable[[str], bytes],
        cache: CacheStore,
        base_url: Callable[[], str],
        faults: Faults,
        soffice: str | bool | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.fetch = fetch
        self.cache = cache
        self.base_url = base_url
        self.faults = faults
        self.soffice: str | None = (
            find_soffice() if soffice is None or soffice is True else (soffice or None)
        )
        self.timeout = timeout
        self.conversions: dict[str, Conversion] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(2)
        #: Bumped by go_quiet(): a conversion requested before fetches nothing more.
        self._generation = 0
        #: Sources being fetched from their hosts now, and a wait for none to be.
        self._fetching = 0
        self._fetched = threading.Condition(self._lock)
        self._workdir = tempfile.mkdtemp(prefix="docs-double-")

    def close(self) -> None:
        shutil.rmtree(self._workdir, ignore_errors=True)

    def clear(self) -> None:
        with self._lock:
            self.conversions.clear()

    def go_quiet(self, timeout: float) -> bool:
        """Fetch nothing more for the conversions requested so far (one waiting for its
        delay fails as a download error); wait up to ``timeout`` seconds for the fetches under
        way. True when none is."""
        with self._lock:
            self._generation += 1
            return self._fetched.wait_for(lambda: self._fetching == 0, timeout)

    # --- requests ---

    def request(self, params: dict[str, Any]) -> dict[str, Any]:
        """Answer a conversion request (already authenticated)."""
        key = params.get("key")
        url = params.get("url")
        filetype = str(params.get("filetype") or params.get("fileType") or "").lower()
        outputtype = str(params.get("outputtype") or params.get("outputType") or "").lower()
        password = params.get("password")
        if not isinstance(key, str) or not KEY_PATTERN.match(key) or len(key) > 240:
            return {"error": BAD_REQUEST}
        if not isinstance(url, str) or not url:
            return {"error": BAD_REQUEST}
        if filetype and not EXT_PATTERN.match(filetype):
            return {"error": BAD_REQUEST}
        if outputtype not in formats.KNOWN_OUTPUTS:
            return {"error": BAD_REQUEST}
        if isinstance(password, str) and len(password) > PASSWORD_MAX_LENGTH:
            return {"error": BAD_REQUEST}
        if not filetype:
            path = urllib.parse.urlparse(url).path
            filetype = os.path.splitext(path)[1].lstrip(".").lower()
            if formats.document_type(filetype) is None:
                return {"error": NOT_DETECTED}
        document_type = formats.document_type(filetype)
        if document_type is None:
            return {"error": NOT_DETECTED}
        output_ext = {"ooxml": formats.OOXML, "odf": formats.ODF}.get(outputtype, {}).get(
            document_type, outputtype
        )
        output_ext = {"pdfa": "pdf", "jpeg": "jpg"}.get(output_ext, output_ext)

        conversion_id = f"conv_{key}_{outputtype}"
        with self._lock:
            conversion = self.conversions.get(conversion_id)
            start = conversion is None
            if conversion is None:
                conversion = Conversion(conversion_id, output_ext)
                self.conversions[conversion_id] = conversion
            generation = self._generation
        if start:
            log.info(
                "conversion %s: %s to %s requested", conversion_id[:120], filetype, outputtype
            )
            title = params.get("title")
            job = (conversion, url, filetype, document_type, outputtype, title, generation)
            threading.Thread(target=self._run, args=job, daemon=True).start()
        is_async = params.get("async") in (True, "true", "True")
        if not is_async and not conversion.done.wait(self.timeout + 5):
            return {"error": TIMEOUT}
        return conversion.reply()

    # --- the work ---

    def _run(
        self,
        conversion: Conversion,
        url: str,
        filetype: str,
        document_type: str,
        outputtype: str,
        title: Any,
        generation: int,
    ) -> None:
        try:
            data = self._convert(
                url, filetype, document_type, outputtype, conversion.output_ext, generation
            )
            base = os.path.splitext(str(title))[0] if title else "output"
            name = f"output.{conversion.output_ext}"
            path = self.cache.put(
                conversion.id, name, data, formats.mime_type(conversion.output_ext)
            )
            conversion.file_url = self.cache.signed_url(
                self.base_url(), path, filename=f"{base}.{conversion.output_ext}"
            )
            log.info("conversion %s done: %s bytes", conversion.id[:120], len(data))
        except _Failed as exc:
            conversion.error = exc.code
            conversion.detail = str(exc)
            log.info("conversion %s failed with %s: %s", conversion.id[:120], exc.code, exc)
        except Exception as exc:  # anything unexpected is a conversion error, as in Docs
            log.exception("conversion %s crashed", conversion.id)
            conversion.error = CONVERSION_ERROR
            conversion.detail = str(exc)
        finally:
            conversion.done.set()

    def _convert(
        self,
        url: str,
        filetype: str,
        document_type: str,
        outputtype: str,
        output_ext: str,
        generation: int,
    ) -> bytes:
        if self.faults.conversion_delay:
            time.sleep(self.faults.conversion_delay)
        with self._lock:
            if generation != self._generation:
                raise _Failed(DOWNLOAD_ERROR, "the document server went quiet before the fetch")
            self._fetching += 1
        try:
            data = self.fetch(url)
        except DownloadError as exc:
            raise _Failed(SIZE_LIMIT if exc.size else DOWNLOAD_ERROR, str(exc)) from exc
        finally:
            with self._lock:
                self._fetching -= 1
                self._fetched.notify_all()
        if self.faults.conversion_error is not None:
            raise _Failed(self.faults.conversion_error, "injected fault")
        self._check_package(data, filetype)
        if output_ext not in formats.CONVERT_TARGETS.get(document_type, ()) and not (
            output_ext == filetype
        ):
            raise _Failed(CONVERSION_ERROR, f"cannot convert {filetype} to {outputtype}")
        if output_ext == filetype and outputtype != "pdfa":
            return data
        if not self.soffice:
            raise _Failed(CONVERSION_ERROR, "LibreOffice (soffice) is not installed")
        return self._libreoffice(data, filetype, document_type, outputtype, output_ext)

    @staticmethod
    def _check_package(data: bytes, filetype: str) -> None:
        if filetype in OOXML_FAMILY or filetype in ODF_FAMILY:
            if data.startswith(CFB_MAGIC) and filetype in OOXML_FAMILY:
                raise _Failed(PASSWORD, "encrypted OOXML (OLE container)")
            try:
                package = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile as exc:
                raise _Failed(CONVERSION_ERROR, "corrupt package") from exc
            if filetype in ODF_FAMILY:
                try:
                    manifest = package.read("META-INF/manifest.xml").decode("utf-8", "replace")
                except KeyError:
                    manifest = ""
                if "encryption-data" in manifest:
                    raise _Failed(PASSWORD, "encrypted ODF package")

    def _libreoffice(
        self, data: bytes, filetype: str, document_type: str, outputtype: str, output_ext: str
    ) -> bytes:
        convert_to = _FILTERS.get(output_ext, output_ext)
        if outputtype == "pdfa":
            export = _PDF_EXPORT.get(document_type, "writer")
            convert_to = (
                f'pdf:{export}_pdf_Export:{{"SelectPdfVersion":{{"type":"long","value":"2"}}}}'
            )
        with self._slots:
            profile = PROFILES.take()
            job_dir = tempfile.mkdtemp(dir=self._workdir)
            reusable = True
            try:
                source = os.path.join(job_dir, f"input.{filetype}")
                with open(source, "wb") as f:
                    f.write(data)
                out_dir = os.path.join(job_dir, "out")
                command = [
                    str(self.soffice),
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    "--convert-to",
                    convert_to,
                    "--outdir",
                    out_dir,
                    source,
                ]
                try:
                    completed = subprocess.run(  # noqa: S603 - fixed program, our own arguments
                        command, capture_output=True, timeout=self.timeout, check=False
                    )
                except subprocess.TimeoutExpired as exc:
                    # A stray soffice.bin may still hold this profile: never reuse it.
                    reusable = False
                    raise _Failed(TIMEOUT, "LibreOffice timed out") from exc
                result = os.path.join(out_dir, f"input.{output_ext}")
                if completed.returncode != 0 or not os.path.exists(result):
                    detail = completed.stderr.decode("utf-8", "replace")[-500:]
                    raise _Failed(CONVERSION_ERROR, f"LibreOffice failed: {detail}")
                with open(result, "rb") as f:
                    return f.read()
            finally:
                if reusable:
                    PROFILES.give(profile)
                shutil.rmtree(job_dir, ignore_errors=True)


class _Failed(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
