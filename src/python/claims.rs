//! Token claims straight between Python objects and JSON bytes: a writer for signing and a
//! builder for [`crate::json_read`] for verifying, with no `serde_json::Value` in between.

use std::fmt::Write as _;
use std::sync::Mutex;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use super::json::to_value_at;
use super::plain::write_plain;
use crate::json_read::{next_special, Build, Number};

/// Nesting deeper than this is refused rather than risking the stack (as `json::to_value`).
pub(super) const MAX_DEPTH: usize = 200;

/// Write a Python value as JSON, the way serde_json writes the same value (compact, non-ASCII
/// as is, `"` `\\` and control characters escaped). `skip`: top-level members to leave out.
/// Plain values (the usual claims) go through [`write_plain`]; anything else, or a value holding
/// anything else anywhere, is written by [`write_general`].
pub(super) fn write_json(obj: &Bound<'_, PyAny>, out: &mut Vec<u8>, skip: &[&str]) -> PyResult<()> {
    let start = out.len();
    if write_plain(obj, out, skip).is_ok() {
        return Ok(());
    }
    out.truncate(start);
    write_general(obj, out, 0, skip)
}

/// [`write_json`] one value at a time through pyo3, for any value (and its errors).
pub(super) fn write_general(
    obj: &Bound<'_, PyAny>,
    out: &mut Vec<u8>,
    depth: usize,
    skip: &[&str],
) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err("value is nested too deeply for JSON"));
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        write_str(s.to_str()?, out);
    } else if let Ok(d) = obj.cast::<PyDict>() {
        out.push(b'{');
        let mut first = true;
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("JSON object keys must be str"))?
                .to_str()?;
            if skip.contains(&key) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            write_str(key, out);
            out.push(b':');
            write_general(&v, out, depth + 1, &[])?;
        }
        out.push(b'}');
    } else if obj.is_none() {
        out.extend_from_slice(b"null");
    } else if let Ok(b) = obj.cast_exact::<PyBool>() {
        out.extend_from_slice(if b.is_true() { b"true" } else { b"false" });
    } else if let Ok(l) = obj.cast::<PyList>() {
        out.push(b'[');
        for (i, v) in l.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_general(&v, out, depth + 1, &[])?;
        }
        out.push(b']');
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        out.push(b'[');
        for (i, v) in t.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_general(&v, out, depth + 1, &[])?;
        }
        out.push(b']');
    } else if let Ok(i) = obj.cast::<PyInt>() {
        let mut text = String::new();
        if let Ok(n) = i.extract::<i64>() {
            let _ = write!(text, "{n}");
        } else {
            let n = i
                .extract::<u64>()
                .map_err(|_| PyValueError::new_err("integer is out of the JSON range (64 bits)"))?;
            let _ = write!(text, "{n}");
        }
        out.extend_from_slice(text.as_bytes());
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        if !v.is_finite() {
            return Err(PyValueError::new_err("NaN and infinity are not JSON"));
        }
        // serde_json's own float text (ryu), so a float reads back as the same float.
        serde_json::to_writer(&mut *out, &v).map_err(|e| PyValueError::new_err(e.to_string()))?;
    } else {
        // Anything else (str subclasses, other mappings) goes through the general converter.
        let value = to_value_at(obj, depth)?;
        serde_json::to_writer(&mut *out, &value)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
    }
    Ok(())
}

/// A JSON string: runs without escapes are copied whole.
pub(super) fn write_str(s: &str, out: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut plain = 0;
    loop {
        let i = next_special(bytes, plain);
        out.extend_from_slice(&bytes[plain..i]);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            c => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 15)]);
            }
        }
        plain = i + 1;
    }
    out.push(b'"');
}

/// Object keys made before, by their text: a site's tokens carry the same few dozen keys, and a
/// kept key is a Python string whose hash is already computed. Each key has four slots to be
/// in, so keys that hash alike do not push each other out on every token; the text is kept in
/// the slot, so a look-up reads one place. Slots are many (56 KB) so that five keys of a token
/// rarely share four; only the slots in use take room in the CPU's caches.
struct KeyCache {
    slots: Vec<Option<Slot>>,
}

struct Slot {
    len: usize,
    text: [u8; MAX_CACHED_KEY],
    string: Py<PyString>,
}

const KEY_SLOTS: usize = 1024;
const MAX_CACHED_KEY: usize = 40;
static KEYS: Mutex<KeyCache> = Mutex::new(KeyCache { slots: Vec::new() });

impl KeyCache {
    /// The kept string of `key` (made and kept now if it was not), lent; `None` for a key too
    /// long to keep.
    fn key<'a, 'py>(
        &'a mut self,
        py: Python<'py>,
        key: &str,
    ) -> Option<Borrowed<'a, 'py, PyString>> {
        if key.len() > MAX_CACHED_KEY {
            return None;
        }
        if self.slots.is_empty() {
            self.slots.resize_with(KEY_SLOTS, || None);
        }
        // The first and last eight bytes and the length, mixed: keys are short, and a collision
        // only costs making the string.
        let bytes = key.as_bytes();
        let (head, tail) = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            _ => (bytes.iter().fold(0u64, |h, &b| (h << 8) | u64::from(b)), 0),
        };
        let hash =
            (head ^ tail.rotate_left(29) ^ bytes.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let first = (hash >> 54) as usize;
        let mut found = None;
        let mut free = None;
        for i in [first, first ^ 1, first ^ 2, first ^ 3] {
            match &self.slots[i] {
                Some(slot) if same_key(&slot.text[..slot.len], bytes) => {
                    found = Some(i);
                    break;
                }
                Some(_) => {}
                None => free = free.or(Some(i)),
            }
        }
        let i = match found {
            Some(i) => i,
            None => {
                let i = free.unwrap_or(first);
                let mut text = [0u8; MAX_CACHED_KEY];
                text[..bytes.len()].copy_from_slice(bytes);
                self.slots[i] = Some(Slot {
                    len: bytes.len(),
                    text,
                    string: PyString::new(py, key).unbind(),
                });
                i
            }
        };
        self.slots[i]
            .as_ref()
            .map(|slot| slot.string.bind_borrowed(py))
    }
}

/// Whether two keys of at most [`MAX_CACHED_KEY`] bytes are the same, compared inline a word at a
/// time: calling libc's `memcmp` cost more than the comparison itself for keys this short.
#[inline]
fn same_key(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        if n < 4 {
            return a.iter().zip(b).all(|(x, y)| x == y);
        }
        let word = |s: &[u8], i: usize| u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]]);
        return word(a, 0) == word(b, 0) && word(a, n - 4) == word(b, n - 4);
    }
    let word = |s: &[u8], i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    // The last eight bytes, overlapping the ones compared when n is not a multiple of eight.
    word(a, n - 8) == word(b, n - 8)
}

/// Builds Python objects (dict, list, str, int, float, bool, None) from what the reader finds.
pub(super) struct PyBuilder<'py, 'k> {
    py: Python<'py>,
    keys: Option<std::sync::MutexGuard<'k, KeyCache>>,
}

impl<'py> PyBuilder<'py, 'static> {
    pub(super) fn new(py: Python<'py>) -> Self {
        // try_lock: building objects may run other Python code (a garbage collection, say),
        // which may verify a token itself; it then goes without the cache rather than wait.
        PyBuilder {
            py,
            keys: KEYS.try_lock().ok(),
        }
    }
}

impl<'py> Build for PyBuilder<'py, '_> {
    type Value = Bound<'py, PyAny>;
    type Array = Bound<'py, PyList>;
    type Object = Bound<'py, PyDict>;
    type Error = PyErr;

    fn null(&mut self) -> PyResult<Self::Value> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn boolean(&mut self, value: bool) -> PyResult<Self::Value> {
        Ok(PyBool::new(self.py, value).to_owned().into_any())
    }
    fn number(&mut self, value: Number) -> PyResult<Self::Value> {
        Ok(match value {
            Number::U64(n) => n.into_pyobject(self.py)?.into_any(),
            Number::I64(n) => n.into_pyobject(self.py)?.into_any(),
            Number::F64(f) => PyFloat::new(self.py, f).into_any(),
        })
    }
    fn string(&mut self, value: &str) -> PyResult<Self::Value> {
        Ok(PyString::new(self.py, value).into_any())
    }
    fn begin_array(&mut self) -> PyResult<Self::Array> {
        Ok(PyList::empty(self.py))
    }
    fn push(&mut self, array: &mut Self::Array, item: Self::Value) -> PyResult<()> {
        array.append(item)
    }
    fn end_array(&mut self, array: Self::Array) -> PyResult<Self::Value> {
        Ok(array.into_any())
    }
    fn begin_object(&mut self) -> PyResult<Self::Object> {
        Ok(PyDict::new(self.py))
    }
    fn insert(&mut self, object: &mut Self::Object, key: &str, value: Self::Value) -> PyResult<()> {
        // A kept key is lent to the dict (which counts its own reference): no count taken and
        // given back here.
        if let Some(kept) = self.keys.as_mut().and_then(|cache| cache.key(self.py, key)) {
            return object.set_item(kept, value);
        }
        object.set_item(PyString::new(self.py, key), value)
    }
    fn end_object(&mut self, object: Self::Object) -> PyResult<Self::Value> {
        Ok(object.into_any())
    }
}

#[cfg(test)]
mod tests {
    use super::same_key;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_key_is_byte_equality(
            a in prop::collection::vec(0u8..4, 0..48),
            flip in any::<Option<prop::sample::Index>>(),
            cut in any::<Option<prop::sample::Index>>(),
        ) {
            // Mostly equal or nearly equal keys: one byte changed, or one shorter.
            let mut b = a.clone();
            if let (Some(i), false) = (flip, b.is_empty()) {
                let i = i.index(b.len());
                b[i] ^= 1;
            }
            if let (Some(i), false) = (cut, b.is_empty()) {
                b.truncate(i.index(b.len()));
            }
            prop_assert_eq!(same_key(&a, &b), a == b);
            prop_assert!(same_key(&a, &a));
        }
    }
}
