"""The Rust core ``onlyoffice_plone._core``, as the add-on imports it.

The only module of the add-on that imports ``_core``: everything the protocol decides is
reached through here (see README, "Layout").
"""

from onlyoffice_plone._core import Addresses
from onlyoffice_plone._core import Callback
from onlyoffice_plone._core import CallbackError
from onlyoffice_plone._core import CallbackStatus
from onlyoffice_plone._core import CallbackUrlError
from onlyoffice_plone._core import Classification
from onlyoffice_plone._core import CommandResult
from onlyoffice_plone._core import ConversionResult
from onlyoffice_plone._core import CoreError
from onlyoffice_plone._core import DocsError
from onlyoffice_plone._core import EditorDocument
from onlyoffice_plone._core import EditorOptions
from onlyoffice_plone._core import EditorUser
from onlyoffice_plone._core import ExpiredTokenError
from onlyoffice_plone._core import Format
from onlyoffice_plone._core import HttpRequest
from onlyoffice_plone._core import ImmatureTokenError
from onlyoffice_plone._core import InvalidAlgorithmError
from onlyoffice_plone._core import InvalidArgumentError
from onlyoffice_plone._core import InvalidSignatureError
from onlyoffice_plone._core import InvalidUrlError
from onlyoffice_plone._core import Locale
from onlyoffice_plone._core import MalformedTokenError
from onlyoffice_plone._core import MissingTokenError
from onlyoffice_plone._core import ProtocolError
from onlyoffice_plone._core import ReferenceRequest
from onlyoffice_plone._core import TokenError
from onlyoffice_plone._core import UrlTokenError
from onlyoffice_plone._core import __version__
from onlyoffice_plone._core import action_link
from onlyoffice_plone._core import build_editor_config
from onlyoffice_plone._core import check_base_url
from onlyoffice_plone._core import check_download_header
from onlyoffice_plone._core import check_url
from onlyoffice_plone._core import classify
from onlyoffice_plone._core import command_error_message
from onlyoffice_plone._core import command_request
from onlyoffice_plone._core import conversion_error_message
from onlyoffice_plone._core import conversion_failure
from onlyoffice_plone._core import conversion_key
from onlyoffice_plone._core import conversion_request
from onlyoffice_plone._core import document_key
from onlyoffice_plone._core import formats
from onlyoffice_plone._core import free_name
from onlyoffice_plone._core import incoming_payload
from onlyoffice_plone._core import instance_id
from onlyoffice_plone._core import is_email
from onlyoffice_plone._core import is_reference_source
from onlyoffice_plone._core import is_valid_key
from onlyoffice_plone._core import json_nests_deeper
from onlyoffice_plone._core import locale_for
from onlyoffice_plone._core import lossy_edit_extensions
from onlyoffice_plone._core import new_file_extension
from onlyoffice_plone._core import notify_request
from onlyoffice_plone._core import origin
from onlyoffice_plone._core import output_extension
from onlyoffice_plone._core import parse_callback
from onlyoffice_plone._core import parse_command_response
from onlyoffice_plone._core import parse_conversion_response
from onlyoffice_plone._core import parse_reference_request
from onlyoffice_plone._core import reference_answer
from onlyoffice_plone._core import reference_data
from onlyoffice_plone._core import requested_commands
from onlyoffice_plone._core import requested_file_type
from onlyoffice_plone._core import result_filename
from onlyoffice_plone._core import sign_header_token
from onlyoffice_plone._core import sign_token
from onlyoffice_plone._core import sign_url_token
from onlyoffice_plone._core import verify_token
from onlyoffice_plone._core import verify_url_token

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
