//! The one error type of the core. The binding layer turns it into the Python exception hierarchy.

use std::fmt;

use crate::callback::CallbackStatus;

/// Why a token was refused. Each kind becomes its own Python exception class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenErrorKind {
    /// Neither the body nor the header carried a token.
    Missing,
    /// Not three base64url parts, bad JSON, or a claim of the wrong type.
    Malformed,
    /// The signature does not match the secret.
    InvalidSignature,
    /// `exp` is in the past (beyond the leeway).
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    Immature,
    /// `alg` is `none`, unknown, or not among the accepted algorithms.
    InvalidAlgorithm,
    /// A URL token Plone signed was missing, forged, expired or made for something else.
    UrlToken,
}

/// What is wrong with a URL, in a word the caller can map to its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlReason {
    /// Not an absolute http(s) URL with a valid host and port.
    Scheme,
    /// User info (`user:password@`) before the host.
    Credentials,
    /// A query or fragment where a base address is expected.
    Query,
    /// Well formed, but not on an allowed origin.
    Origin,
}

impl UrlReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UrlReason::Scheme => "scheme",
            UrlReason::Credentials => "credentials",
            UrlReason::Query => "query",
            UrlReason::Origin => "origin",
        }
    }
}

/// The callback a refused URL came in, as Docs signed it: enough to release its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRef {
    pub key: String,
    pub status: CallbackStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A token was missing or refused; the string says why in plain words.
    Token(TokenErrorKind, String),
    /// A callback request was refused; the string says why.
    Callback(String),
    /// A URL is not an absolute http(s) URL on an allowed origin. `callback` marks a URL taken
    /// from a callback, which Python sees as both a callback error and a URL error.
    InvalidUrl {
        reason: UrlReason,
        message: String,
        callback: Option<CallbackRef>,
    },
    /// Docs answered a conversion or command request with an error code; `kind` and
    /// `http_status` say what it means for the caller's own reply.
    Docs {
        code: i64,
        message: String,
        kind: &'static str,
        http_status: u16,
    },
    /// The caller passed a value the protocol does not allow.
    InvalidArgument(String),
    /// Docs (or something pretending to be Docs) sent a reply we cannot read.
    Protocol(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn token(kind: TokenErrorKind, reason: impl Into<String>) -> Self {
        Error::Token(kind, reason.into())
    }

    pub(crate) fn argument(reason: impl Into<String>) -> Self {
        Error::InvalidArgument(reason.into())
    }

    pub(crate) fn protocol(reason: impl Into<String>) -> Self {
        Error::Protocol(reason.into())
    }

    pub(crate) fn callback(reason: impl Into<String>) -> Self {
        Error::Callback(reason.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Token(_, reason)
            | Error::Callback(reason)
            | Error::InvalidArgument(reason)
            | Error::Protocol(reason) => f.write_str(reason),
            Error::InvalidUrl { message, .. } => f.write_str(message),
            Error::Docs { code, message, .. } => write!(f, "Docs error {code}: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error::Protocol(format!("invalid JSON: {err}"))
    }
}
