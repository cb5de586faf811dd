"""Protocol engine of onlyoffice_plone (Rust): formats, keys, tokens, editor config, callbacks,
conversion and command requests. Everything that decides what the ONLYOFFICE Docs protocol says."""

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import ClassVar
from typing import final
from typing import overload

__version__: str
__all__ = [
    "Addresses",
    "Callback",
    "CallbackError",
    "CallbackStatus",
    "CallbackUrlError",
    "Classification",
    "CommandResult",
    "ConversionResult",
    "CoreError",
    "DocsError",
    "EditorDocument",
    "EditorOptions",
    "EditorUser",
    "ExpiredTokenError",
    "Format",
    "HttpRequest",
    "ImmatureTokenError",
    "InvalidAlgorithmError",
    "InvalidArgumentError",
    "InvalidSignatureError",
    "InvalidUrlError",
    "Locale",
    "MalformedTokenError",
    "MissingTokenError",
    "ProtocolError",
    "ReferenceRequest",
    "TokenError",
    "UrlTokenError",
    "__version__",
    "action_link",
    "build_editor_config",
    "check_base_url",
    "check_download_header",
    "check_url",
    "classify",
    "command_error_message",
    "command_request",
    "conversion_error_message",
    "conversion_failure",
    "conversion_key",
    "conversion_request",
    "document_key",
    "formats",
    "free_name",
    "incoming_payload",
    "instance_id",
    "is_email",
    "is_reference_source",
    "is_valid_key",
    "json_nests_deeper",
    "locale_for",
    "lossy_edit_extensions",
    "new_file_extension",
    "notify_request",
    "origin",
    "output_extension",
    "parse_callback",
    "parse_command_response",
    "parse_conversion_response",
    "parse_reference_request",
    "reference_answer",
    "reference_data",
    "requested_commands",
    "requested_file_type",
    "result_filename",
    "sign_header_token",
    "sign_token",
    "sign_url_token",
    "verify_token",
    "verify_url_token",
]

# errors --------------------------------------------------------------------------------------

class CoreError(Exception):
    """Base class of every error the core raises."""

class TokenError(CoreError):
    """A token is missing or was refused."""

class MissingTokenError(TokenError):
    """No token where one is required."""

class MalformedTokenError(TokenError):
    """The token is not a well-formed JWT, or a claim has the wrong type."""

class InvalidSignatureError(TokenError):
    """The token's signature does not match the secret."""

class ExpiredTokenError(TokenError):
    """The token's exp is in the past (beyond the leeway)."""

class ImmatureTokenError(TokenError):
    """The token's nbf is in the future (beyond the leeway)."""

class InvalidAlgorithmError(TokenError):
    """The token's alg is none, unknown or not accepted."""

class UrlTokenError(TokenError):
    """A URL token Plone signed is missing, forged, expired or made for something else."""

class CallbackError(CoreError):
    """A callback request was refused; str(error) says why."""

class InvalidUrlError(CoreError):
    """A URL is not an absolute http(s) URL on an allowed origin."""

    reason: str
    """ "scheme", "credentials", "query" or "origin"."""

class CallbackUrlError(CallbackError, InvalidUrlError):
    """A callback URL is not http(s) or not on an allowed Docs origin."""

    key: str | None
    """The callback's key, as Docs signed it."""
    status: int | None
    """The callback's status, as Docs signed it."""
    is_final_save: bool
    """The callback ended its session with a save (status 2 or 3)."""

class InvalidArgumentError(CoreError, ValueError):
    """A value the protocol does not allow was passed (also a ValueError)."""

class ProtocolError(CoreError):
    """A reply from Docs could not be read."""

class DocsError(CoreError):
    """Docs answered with an error code: see .code and .message."""

    code: int
    message: str
    kind: str
    """What the code means for the caller's reply, e.g. "Timeout", "TokenRefused"."""
    http_status: int
    """The HTTP status to answer with, e.g. 504 for a timeout."""

# formats -------------------------------------------------------------------------------------

@final
class Format:
    """One row of the project's format table."""

    @property
    def extension(self) -> str: ...
    @property
    def document_type(self) -> str | None: ...
    @property
    def actions(self) -> tuple[str, ...]: ...
    @property
    def convert_to(self) -> tuple[str, ...]: ...
    @property
    def mime_types(self) -> tuple[str, ...]: ...

@final
class Classification:
    """What the Plone side needs to know about one file."""

    @property
    def extension(self) -> str: ...
    @property
    def document_type(self) -> str: ...
    @property
    def mime_type(self) -> str: ...
    @property
    def can_view(self) -> bool: ...
    @property
    def can_edit(self) -> bool: ...
    @property
    def lossy(self) -> bool: ...
    @property
    def convert_to(self) -> str | None: ...
    @property
    def download_as(self) -> tuple[str, ...]: ...
    @property
    def is_form(self) -> bool: ...
    @property
    def can_review(self) -> bool: ...
    @property
    def can_comment(self) -> bool: ...

def formats() -> list[Format]: ...
def new_file_extension(document_type: str) -> str | None: ...
def output_extension(outputtype: str) -> str: ...
def result_filename(filename: str, filetype: str) -> str: ...
def free_name(name: str, extension: str, taken: list[str]) -> str: ...
def lossy_edit_extensions() -> list[str]: ...
def classify(
    filename: str | None = None,
    mime_type: str | None = None,
    *,
    lossy_edit: Sequence[str] = (),
) -> Classification | None: ...
def requested_file_type(
    kind: str, filename: str | None = None, mime_type: str | None = None
) -> str | None: ...
def requested_commands(kind: str) -> list[str]: ...

# keys ----------------------------------------------------------------------------------------

def document_key(instance_id: str, uid: str, revision: str) -> str: ...
def is_valid_key(key: str) -> bool: ...

# mentions ------------------------------------------------------------------------------------

def action_link(value: str | Mapping[str, Any]) -> dict[str, Any]: ...
def notify_request(payload: Mapping[str, Any]) -> dict[str, Any]: ...
def is_email(address: str) -> bool: ...

# tokens --------------------------------------------------------------------------------------

def sign_token(
    claims: Mapping[str, Any],
    secret: str,
    *,
    algorithm: str = "HS256",
    expires_in: int | None = None,
) -> str: ...
def sign_header_token(
    payload: Mapping[str, Any],
    secret: str,
    *,
    algorithm: str = "HS256",
    expires_in: int | None = None,
) -> str: ...
def verify_token(
    token: str,
    secret: str,
    *,
    leeway: int = 60,
    algorithms: Sequence[str] = ("HS256", "HS384", "HS512"),
) -> dict[str, Any]: ...
def incoming_payload(
    body: Mapping[str, Any] | None,
    header_value: str | None,
    secret: str,
    *,
    leeway: int = 60,
) -> dict[str, Any]: ...

# URL tokens ----------------------------------------------------------------------------------

def sign_url_token(
    secret: str,
    purpose: str,
    uid: str,
    *,
    expires_in: int,
    key: str | None = None,
) -> str: ...
def verify_url_token(
    token: str | None,
    secret: str,
    purpose: str,
    uid: str,
    *,
    key: str | None = None,
    leeway: int = 0,
) -> dict[str, Any]: ...
def check_download_header(
    header_value: str | None,
    secret: str | None,
    url_token: str,
    *,
    leeway: int = 60,
) -> None: ...

# links between spreadsheets (reference data) --------------------------------------------------

@final
class ReferenceRequest:
    """What an editor's `onRequestReferenceData` / `onRequestReferenceSource` / `onRequestOpen`
    asks for: the UID to look up (only when its instanceId is this site's), a relative path of
    item ids, and whether it carried another system's reference data."""

    @property
    def file_key(self) -> str | None: ...
    @property
    def path(self) -> str | None: ...
    @property
    def foreign(self) -> bool: ...
    @property
    def is_empty(self) -> bool: ...

def instance_id(site_secret: str) -> str: ...
def reference_data(site_secret: str, uid: str) -> dict[str, str]: ...
def is_reference_source(file_type: str) -> bool: ...
def parse_reference_request(
    data: Any, site_secret: str, *, site_url: str | None = None
) -> ReferenceRequest: ...
def reference_answer(
    *,
    file_type: str,
    key: str,
    path: str,
    file_key: str,
    instance_id: str,
    url: str,
    secret: str | None = None,
    expires_in: int | None = None,
) -> dict[str, Any]: ...

# editor config -------------------------------------------------------------------------------

@final
class EditorDocument:
    """The document to open: `document` of the editor config."""

    def __new__(
        cls,
        key: str,
        url: str,
        title: str,
        file_type: str,
        *,
        document_type: str | None = None,
        info: Mapping[str, Any] | None = None,
        reference_data: Mapping[str, Any] | None = None,
        is_form: bool | None = None,
    ) -> EditorDocument: ...
    @property
    def key(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def file_type(self) -> str: ...

@final
class EditorUser:
    """The user the editor opens for: `editorConfig.user`."""

    def __new__(
        cls,
        id: str,
        *,
        name: str | None = None,
        group: str | None = None,
        image: str | None = None,
    ) -> EditorUser: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str | None: ...

@final
class EditorOptions:
    """How the editor opens: the rest of `editorConfig`, the permissions, the page layout."""

    def __new__(
        cls,
        *,
        mode: str = "edit",
        callback_url: str | None = None,
        editor_type: str = "desktop",
        lang: str | None = None,
        region: str | None = None,
        permissions: Mapping[str, Any] | None = None,
        customization: Mapping[str, Any] | None = None,
        co_editing_mode: str | None = None,
        co_editing_change: bool | None = None,
        templates: Sequence[Mapping[str, str]] | None = None,
        create_url: str | None = None,
        editor_extra: Mapping[str, Any] | None = None,
        width: str | None = None,
        height: str | None = None,
        language: str | None = None,
    ) -> EditorOptions: ...
    @property
    def mode(self) -> str: ...
    @property
    def callback_url(self) -> str | None: ...

@final
class Locale:
    """A user's locale, from the language Plone negotiated for the request."""

    @property
    def lang(self) -> str: ...
    @property
    def region(self) -> str | None: ...
    @property
    def tag(self) -> str: ...
    @property
    def paper(self) -> str: ...

def locale_for(language: str | None = None) -> Locale: ...
def json_nests_deeper(data: bytes, limit: int) -> bool:
    """Does the JSON text nest arrays and objects more than ``limit`` deep? (Strings are
    skipped; nothing else is checked.)"""

@overload
def build_editor_config(
    document: EditorDocument,
    user: EditorUser | None = None,
    options: EditorOptions | None = None,
    *,
    secret: str | None = None,
    algorithm: str = "HS256",
    expires_in: int | None = None,
) -> str: ...
@overload
def build_editor_config(
    *,
    key: str,
    url: str,
    title: str,
    file_type: str,
    callback_url: str | None = None,
    document_type: str | None = None,
    mode: str | None = None,
    editor_type: str | None = None,
    lang: str | None = None,
    region: str | None = None,
    user_id: str | None = None,
    user_name: str | None = None,
    user_group: str | None = None,
    user_image: str | None = None,
    permissions: Mapping[str, Any] | None = None,
    customization: Mapping[str, Any] | None = None,
    co_editing_mode: str | None = None,
    co_editing_change: bool | None = None,
    templates: Sequence[Mapping[str, str]] | None = None,
    create_url: str | None = None,
    info: Mapping[str, Any] | None = None,
    reference_data: Mapping[str, Any] | None = None,
    is_form: bool | None = None,
    editor_extra: Mapping[str, Any] | None = None,
    width: str | None = None,
    height: str | None = None,
    secret: str | None = None,
    algorithm: str = "HS256",
    expires_in: int | None = None,
) -> str: ...

# callbacks -----------------------------------------------------------------------------------

@final
class CallbackStatus:
    """The callback statuses Docs sends (as ints on Callback.status)."""

    EDITING: ClassVar[int]
    MUST_SAVE: ClassVar[int]
    CORRUPTED: ClassVar[int]
    CLOSED: ClassVar[int]
    MUST_FORCESAVE: ClassVar[int]
    CORRUPTED_FORCESAVE: ClassVar[int]

@final
class Callback:
    """A validated callback from Docs."""

    @property
    def status(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def changesurl(self) -> str | None: ...
    @property
    def formsdataurl(self) -> str | None: ...
    @property
    def filetype(self) -> str | None: ...
    @property
    def history(self) -> dict[str, Any] | None: ...
    @property
    def users(self) -> list[str]: ...
    @property
    def actions(self) -> list[dict[str, Any]]: ...
    @property
    def forcesavetype(self) -> int | None: ...
    @property
    def userdata(self) -> str | None: ...
    @property
    def lastsave(self) -> str | None: ...
    @property
    def notmodified(self) -> bool: ...
    @property
    def is_final_save(self) -> bool: ...
    @property
    def is_forcesave(self) -> bool: ...
    @property
    def carries_file(self) -> bool: ...
    @property
    def token_source(self) -> str: ...

def parse_callback(
    body: bytes,
    header_value: str | None,
    *,
    secret: str | None,
    allowed_origins: Sequence[str],
    leeway: int = 60,
    max_bytes: int = 1048576,
) -> Callback: ...
def check_url(url: str, allowed_origins: Sequence[str]) -> None: ...

# addresses -----------------------------------------------------------------------------------

def origin(url: str) -> str: ...
def check_base_url(url: str) -> None: ...

@final
class Addresses:
    """The addresses of Docs and Plone as each side reaches the other ("" when unset)."""

    def __new__(
        cls, docs_url: str, docs_internal_url: str = "", plone_internal_url: str = ""
    ) -> Addresses: ...
    @property
    def public_docs_url(self) -> str: ...
    @property
    def server_docs_url(self) -> str: ...
    @property
    def docs_origins(self) -> tuple[str, ...]: ...
    def docs_url_for_plone(self, url: str) -> str: ...
    def url_for_docs(self, url: str, portal_url: str) -> str: ...

# server-to-server requests -------------------------------------------------------------------

@final
class HttpRequest:
    """A request to send to Docs (the caller does the network I/O)."""

    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def headers(self) -> dict[str, str]: ...

@final
class ConversionResult:
    """A conversion reply: poll again while end_convert is False."""

    @property
    def end_convert(self) -> bool: ...
    @property
    def percent(self) -> int: ...
    @property
    def file_url(self) -> str | None: ...
    @property
    def file_type(self) -> str | None: ...

@final
class CommandResult:
    """A command reply; raw is the whole reply."""

    @property
    def error(self) -> int: ...
    @property
    def key(self) -> str | None: ...
    @property
    def version(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def keys(self) -> list[str]: ...
    @property
    def users(self) -> list[str]: ...
    @property
    def raw(self) -> dict[str, Any]: ...

def conversion_request(
    docs_url: str,
    *,
    key: str,
    filetype: str,
    outputtype: str,
    url: str,
    title: str | None = None,
    async_: bool = True,
    region: str | None = None,
    password: str | None = None,
    thumbnail: Mapping[str, Any] | None = None,
    secret: str | None = None,
    header: str = "Authorization",
    expires_in: int = 300,
    shardkey: bool = True,
) -> HttpRequest: ...
def parse_conversion_response(
    body: bytes, content_type: str | None = None
) -> ConversionResult: ...
def command_request(
    docs_url: str,
    command: str,
    *,
    key: str | None = None,
    userdata: str | None = None,
    users: Sequence[str] | None = None,
    meta: Mapping[str, Any] | None = None,
    secret: str | None = None,
    header: str = "Authorization",
    expires_in: int = 300,
    shardkey: bool = True,
) -> HttpRequest: ...
def parse_command_response(command: str, body: bytes) -> CommandResult: ...
def conversion_error_message(code: int) -> str: ...
def conversion_key(document_key: str, outputtype: str) -> str: ...
def conversion_failure(code: int) -> tuple[str, int]: ...
def command_error_message(code: int) -> str: ...
