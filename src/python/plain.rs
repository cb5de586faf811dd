//! Plain Python values (exact `dict` with `str` keys, `list`, `str`, `int`, `float`, `bool`,
//! `None`) written as JSON through the C API, with borrowed references and no reference
//! counting: what signing a token's claims spends most of its time on otherwise.
//!
//! Borrowed references stay valid only while no Python code runs (which could change a
//! container or drop its items). Nothing here runs any: every object's exact type is checked
//! before it is touched, and only C API calls that cannot call back into Python are made on it.
//! Anything else stops the writer with [`NotPlain`], and the caller writes the whole value again
//! the general way ([`super::claims::write_json`]), which gives any error.

use std::ptr;

use pyo3::ffi;
use pyo3::prelude::*;

use super::claims::{write_str, MAX_DEPTH};

/// The value holds something the plain writer leaves to the general one.
pub(super) struct NotPlain;

/// Write `obj` as JSON like [`super::claims::write_json`], when it is plain through and
/// through; `skip`: top-level members to leave out. On `Err` `out` holds a partial text.
pub(super) fn write_plain(
    obj: &Bound<'_, PyAny>,
    out: &mut Vec<u8>,
    skip: &[&str],
) -> Result<(), NotPlain> {
    // SAFETY: `obj` is a live object the caller holds (with the GIL, which `Bound` proves) for
    // the whole call, and `write` runs no Python code (see the module comment), so everything
    // reached from it stays alive and unchanged.
    unsafe { write(obj.as_ptr(), out, 0, skip) }
}

/// # Safety
/// `obj` must point to a live object, kept alive and unchanged for the call, with the GIL held.
unsafe fn write(
    obj: *mut ffi::PyObject,
    out: &mut Vec<u8>,
    depth: usize,
    skip: &[&str],
) -> Result<(), NotPlain> {
    if depth > MAX_DEPTH {
        return Err(NotPlain);
    }
    // SAFETY (for the block): `obj` is live (the caller's contract); each call below is made
    // only on an object of the exact type it is meant for, where CPython runs no Python code:
    // no `__hash__`, `__eq__`, `__index__`, `__float__` or `__len__` of a subclass is reached.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        if tp == &raw mut ffi::PyUnicode_Type {
            write_str(utf8(obj)?, out);
        } else if tp == &raw mut ffi::PyDict_Type {
            out.push(b'{');
            let mut first = true;
            let mut pos: ffi::Py_ssize_t = 0;
            let (mut key, mut value) = (ptr::null_mut(), ptr::null_mut());
            // Borrowed key and value, alive as long as the dict is unchanged.
            while ffi::PyDict_Next(obj, &mut pos, &mut key, &mut value) != 0 {
                if ffi::Py_TYPE(key) != &raw mut ffi::PyUnicode_Type {
                    return Err(NotPlain);
                }
                let key = utf8(key)?;
                if skip.contains(&key) {
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                write_str(key, out);
                out.push(b':');
                write(value, out, depth + 1, &[])?;
            }
            out.push(b'}');
        } else if ptr::eq(obj, ffi::Py_None()) {
            out.extend_from_slice(b"null");
        } else if tp == &raw mut ffi::PyBool_Type {
            let text: &[u8] = if ptr::eq(obj, ffi::Py_True()) {
                b"true"
            } else {
                b"false"
            };
            out.extend_from_slice(text);
        } else if tp == &raw mut ffi::PyLong_Type {
            let mut overflow = 0;
            let n = ffi::PyLong_AsLongLongAndOverflow(obj, &mut overflow);
            if overflow != 0 || (n == -1 && !ffi::PyErr_Occurred().is_null()) {
                // Beyond i64 (the general writer tries u64, then refuses).
                ffi::PyErr_Clear();
                return Err(NotPlain);
            }
            serde_json::to_writer(&mut *out, &n).map_err(|_| NotPlain)?;
        } else if tp == &raw mut ffi::PyFloat_Type {
            let v = ffi::PyFloat_AsDouble(obj);
            if !v.is_finite() {
                return Err(NotPlain);
            }
            // serde_json's float text (ryu), as the general writer.
            serde_json::to_writer(&mut *out, &v).map_err(|_| NotPlain)?;
        } else if tp == &raw mut ffi::PyList_Type {
            out.push(b'[');
            for i in 0..ffi::PyList_Size(obj) {
                if i > 0 {
                    out.push(b',');
                }
                // Borrowed, alive as long as the list is unchanged; i < its size.
                let item = ffi::PyList_GetItem(obj, i);
                if item.is_null() {
                    ffi::PyErr_Clear();
                    return Err(NotPlain);
                }
                write(item, out, depth + 1, &[])?;
            }
            out.push(b']');
        } else {
            return Err(NotPlain);
        }
    }
    Ok(())
}

/// The UTF-8 text of an exact `str`, cached in the object by CPython.
///
/// # Safety
/// `obj` must point to a live exact `str`, kept alive for as long as the text is used.
unsafe fn utf8<'a>(obj: *mut ffi::PyObject) -> Result<&'a str, NotPlain> {
    let mut len: ffi::Py_ssize_t = 0;
    // SAFETY: `obj` is a live str (the caller's contract); the text returned lives as long as
    // it does. It fails only for lone surrogates, which are not UTF-8.
    let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(obj, &mut len) };
    if data.is_null() {
        // SAFETY: the GIL is held; the error is the general writer's to raise.
        unsafe { ffi::PyErr_Clear() };
        return Err(NotPlain);
    }
    let len = usize::try_from(len).map_err(|_| NotPlain)?;
    // SAFETY: CPython's UTF-8 text of a str is `len` bytes of valid UTF-8 at `data`, alive as
    // long as the object.
    Ok(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast(), len)) })
}
