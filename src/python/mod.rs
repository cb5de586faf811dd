//! The binding layer: the only code that knows about Python. Each module converts the values of
//! one feature at the boundary; `errors` turns `Error` into the Python exception hierarchy and
//! `json` converts Python values to and from JSON (`claims`: token claims, straight to and from
//! JSON bytes). Every decision lives in the pure modules.

use pyo3::prelude::*;

mod callback;
mod claims;
mod command;
mod conversion;
mod editor;
mod errors;
mod formats;
mod json;
mod keys;
mod locale;
mod mentions;
mod plain;
mod references;
mod request;
mod requested;
mod tokens;
mod url_tokens;
mod urls;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    formats::register(m)?;
    keys::register(m)?;
    references::register(m)?;
    tokens::register(m)?;
    editor::register(m)?;
    locale::register(m)?;
    callback::register(m)?;
    urls::register(m)?;
    url_tokens::register(m)?;
    request::register(m)?;
    requested::register(m)?;
    conversion::register(m)?;
    command::register(m)?;
    mentions::register(m)?;
    json::register(m)?;
    Ok(())
}
