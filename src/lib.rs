//! Protocol engine of the onlyoffice-plone add-on.
//!
//! Pure modules (no PyO3 types) decide what the ONLYOFFICE Docs protocol says;
//! `python` is the one thin layer that converts values at the Python boundary.

mod python;
