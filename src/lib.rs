//! Protocol engine of the onlyoffice-plone add-on.
//!
//! Pure modules (no PyO3 types) decide what the ONLYOFFICE Docs protocol says: which formats Docs
//! opens ([`formats`]), document [`keys`], [`tokens`] (JWT), the [`editor`] config, [`callback`]s,
//! [`conversion`] and [`command`] requests. `python` is the one thin layer that converts values at
//! the Python boundary; it is compiled only with the `python` feature (the default).

pub mod addresses;
pub mod base64url;
pub mod callback;
pub mod command;
pub mod conversion;
pub mod editor;
pub mod error;
pub mod formats;
pub mod json_read;
pub mod jws;
pub mod keys;
pub mod locale;
pub mod mentions;
pub mod references;
pub mod request;
pub mod requested;
pub mod tokens;
pub mod url_tokens;
pub mod urls;

#[cfg(feature = "python")]
mod python;

pub use error::{CallbackRef, Error, Result, TokenErrorKind, UrlReason};
