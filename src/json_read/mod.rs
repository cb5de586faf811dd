//! A JSON reader that builds the caller's values as it goes, with no `serde_json::Value` between
//! the text and them: the verified claims of a token become Python objects in one pass.
//!
//! It accepts exactly what `serde_json::from_slice` accepts (RFC 8259 text; strings valid UTF-8
//! with paired surrogate escapes; at most 127 nested arrays and objects) and reads numbers the way
//! it does: an integer that fits is a `u64` (or an `i64` when negative; `-0` is the float -0.0),
//! anything else a correctly rounded `f64`, out of range an error. Duplicate keys are passed on
//! in order; the builder decides (a Python dict and a `serde_json::Map` keep the last). The fuzz
//! target `json_read` checks the equivalence against serde_json.

use std::fmt;

/// A number as JSON text gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// Makes values out of what the reader finds. Containers are filled in place: an array or object
/// is begun, given its items, then ended into a value.
pub trait Build {
    type Value;
    type Array;
    type Object;
    type Error;

    fn null(&mut self) -> Result<Self::Value, Self::Error>;
    fn boolean(&mut self, value: bool) -> Result<Self::Value, Self::Error>;
    fn number(&mut self, value: Number) -> Result<Self::Value, Self::Error>;
    fn string(&mut self, value: &str) -> Result<Self::Value, Self::Error>;
    fn begin_array(&mut self) -> Result<Self::Array, Self::Error>;
    fn push(&mut self, array: &mut Self::Array, item: Self::Value) -> Result<(), Self::Error>;
    fn end_array(&mut self, array: Self::Array) -> Result<Self::Value, Self::Error>;
    fn begin_object(&mut self) -> Result<Self::Object, Self::Error>;
    fn insert(
        &mut self,
        object: &mut Self::Object,
        key: &str,
        value: Self::Value,
    ) -> Result<(), Self::Error>;
    fn end_object(&mut self, object: Self::Object) -> Result<Self::Value, Self::Error>;
}

/// Why the text is not JSON, and the byte offset where that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub what: &'static str,
    pub at: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

/// A reading failure: the text, or the builder.
#[derive(Debug)]
pub enum ReadError<E> {
    Syntax(SyntaxError),
    Build(E),
}

impl<E> From<SyntaxError> for ReadError<E> {
    fn from(err: SyntaxError) -> Self {
        ReadError::Syntax(err)
    }
}

/// A top-level member of the object read, as [`read_object`] reports `exp` and `nbf`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Scalar {
    /// The member is absent.
    #[default]
    Absent,
    Null,
    Number(Number),
    /// A string, boolean, array or object.
    Other,
    /// The member occurs more than once.
    Duplicate,
}

/// The registered time claims of a JWT, seen while its claims are read.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TimeClaims {
    pub exp: Scalar,
    pub nbf: Scalar,
}

/// Same limit as serde_json: deeper nesting is refused, not a risk to the stack.
const MAX_DEPTH: usize = 127;

type Res<T, E> = Result<T, ReadError<E>>;

/// Read JSON text holding one value of any kind.
pub fn read<B: Build>(json: &[u8], builder: &mut B) -> Res<B::Value, B::Error> {
    let mut reader = Reader::new(json)?;
    let value = reader.value(builder, 0)?;
    reader.end()?;
    Ok(value)
}

/// Read JSON text that must hold an object (`Ok(None)` when it holds another value), noting its
/// top-level `exp` and `nbf` members on the way.
pub fn read_object<B: Build>(
    json: &[u8],
    builder: &mut B,
) -> Res<Option<(B::Value, TimeClaims)>, B::Error> {
    let mut reader = Reader::new(json)?;
    if reader.skip_ws() != Some(b'{') {
        let _ = reader.value(builder, 0)?;
        reader.end()?;
        return Ok(None);
    }
    let mut times = TimeClaims::default();
    let value = reader.object(builder, 0, Some(&mut times))?;
    reader.end()?;
    Ok(Some((value, times)))
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    scratch: String,
    /// What the last value read was, for the time claims.
    last: Scalar,
}

impl<'a> Reader<'a> {
    fn new(json: &'a [u8]) -> Result<Self, SyntaxError> {
        // Outside strings only ASCII is valid JSON, so checking the whole text once is the same as
        // checking each string.
        let text = std::str::from_utf8(json).map_err(|e| SyntaxError {
            what: "invalid UTF-8",
            at: e.valid_up_to(),
        })?;
        Ok(Reader {
            text,
            bytes: json,
            pos: 0,
            scratch: String::new(),
            last: Scalar::Absent,
        })
    }

    fn fail<T>(&self, what: &'static str) -> Result<T, SyntaxError> {
        Err(SyntaxError { what, at: self.pos })
    }

    fn syntax<E>(&self, what: &'static str) -> ReadError<E> {
        ReadError::Syntax(SyntaxError { what, at: self.pos })
    }

    fn skip_ws(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    fn end(&mut self) -> Result<(), SyntaxError> {
        match self.skip_ws() {
            None => Ok(()),
            Some(_) => self.fail("trailing characters"),
        }
    }

    fn value<B: Build>(&mut self, b: &mut B, depth: usize) -> Res<B::Value, B::Error> {
        let built = match self.skip_ws() {
            Some(b'"') => {
                self.pos += 1;
                self.last = Scalar::Other;
                let s = self.string()?;
                b.string(s)
            }
            Some(b'{') => return self.object(b, depth, None),
            Some(b'[') => return self.array(b, depth),
            Some(b't') => {
                self.literal("true")?;
                self.last = Scalar::Other;
                b.boolean(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                self.last = Scalar::Other;
                b.boolean(false)
            }
            Some(b'n') => {
                self.literal("null")?;
                self.last = Scalar::Null;
                b.null()
            }
            Some(b'-' | b'0'..=b'9') => {
                let n = self.number()?;
                self.last = Scalar::Number(n);
                b.number(n)
            }
            Some(_) => return Err(self.syntax("expected a value")),
            None => return Err(self.syntax("unexpected end")),
        };
        built.map_err(ReadError::Build)
    }

    fn literal(&mut self, word: &'static str) -> Result<(), SyntaxError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            self.fail("expected a value")
        }
    }

    fn array<B: Build>(&mut self, b: &mut B, depth: usize) -> Res<B::Value, B::Error> {
        if depth + 1 > MAX_DEPTH {
            return Err(self.syntax("nested too deeply"));
        }
        self.pos += 1; // [
        let mut array = b.begin_array().map_err(ReadError::Build)?;
        if self.skip_ws() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                let item = self.value(b, depth + 1)?;
                b.push(&mut array, item).map_err(ReadError::Build)?;
                match self.skip_ws() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.syntax("expected , or ]")),
                }
            }
        }
        self.last = Scalar::Other;
        b.end_array(array).map_err(ReadError::Build)
    }

    fn object<B: Build>(
        &mut self,
        b: &mut B,
        depth: usize,
        mut times: Option<&mut TimeClaims>,
    ) -> Res<B::Value, B::Error> {
        if depth + 1 > MAX_DEPTH {
            return Err(self.syntax("nested too deeply"));
        }
        self.pos += 1; // {
        let mut object = b.begin_object().map_err(ReadError::Build)?;
        if self.skip_ws() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.skip_ws() != Some(b'"') {
                    return Err(self.syntax("expected a key"));
                }
                self.pos += 1;
                let (start, end, escaped) = self.string_span()?;
                if self.skip_ws() != Some(b':') {
                    return Err(self.syntax("expected :"));
                }
                self.pos += 1;
                let value = self.value(b, depth + 1)?;
                let raw = self.contents(start, end);
                let unescaped;
                let key = if escaped {
                    unescaped = unescaped_string(raw);
                    unescaped.as_str()
                } else {
                    raw
                };
                if let Some(times) = times.as_deref_mut() {
                    let slot = match key {
                        "exp" => Some(&mut times.exp),
                        "nbf" => Some(&mut times.nbf),
                        _ => None,
                    };
                    if let Some(slot) = slot {
                        *slot = match slot {
                            Scalar::Absent => self.last,
                            _ => Scalar::Duplicate,
                        };
                    }
                }
                b.insert(&mut object, key, value)
                    .map_err(ReadError::Build)?;
                match self.skip_ws() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.syntax("expected , or }")),
                }
            }
        }
        self.last = Scalar::Other;
        b.end_object(object).map_err(ReadError::Build)
    }

    /// A string's contents after its opening quote: borrowed from the text when it has no escape,
    /// else unescaped into `scratch`.
    fn string(&mut self) -> Result<&str, SyntaxError> {
        let (start, end, escaped) = self.string_span()?;
        let raw = self.contents(start, end);
        if !escaped {
            return Ok(raw);
        }
        self.scratch.clear();
        unescape(raw, &mut self.scratch);
        Ok(&self.scratch)
    }

    /// The raw contents of a string, from a span `string_span` gave.
    fn contents(&self, start: usize, end: usize) -> &'a str {
        assert!(start <= end && end < self.bytes.len());
        // SAFETY: in range (asserted above); `start` follows an opening quote and `end` is at the
        // closing one, and next to an ASCII byte in valid UTF-8 (the text is checked once in
        // `new`) is always a character boundary. The checked slicing was an out-of-line call
        // for every string.
        unsafe { self.text.get_unchecked(start..end) }
    }

    /// Check a string after its opening quote and step past its closing one: the span of its raw
    /// contents and whether it has escapes.
    fn string_span(&mut self) -> Result<(usize, usize, bool), SyntaxError> {
        let start = self.pos;
        let mut escaped = false;
        loop {
            self.pos = next_special(self.bytes, self.pos);
            let Some(&c) = self.bytes.get(self.pos) else {
                return self.fail("unterminated string");
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok((start, self.pos - 1, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.pos += 1;
                    self.escape()?;
                }
                _ => return self.fail("control character in string"),
            }
        }
    }

    /// Check one escape after its backslash.
    fn escape(&mut self) -> Result<(), SyntaxError> {
        let Some(&c) = self.bytes.get(self.pos) else {
            return self.fail("unterminated string");
        };
        self.pos += 1;
        match c {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(()),
            b'u' => {
                let n = self.hex4()?;
                match n {
                    0xDC00..=0xDFFF => self.fail("lone surrogate in \\u escape"),
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return self.fail("lone surrogate in \\u escape");
                        }
                        self.pos += 2;
                        match self.hex4()? {
                            0xDC00..=0xDFFF => Ok(()),
                            _ => self.fail("lone surrogate in \\u escape"),
                        }
                    }
                    _ => Ok(()),
                }
            }
            _ => self.fail("invalid escape"),
        }
    }

    fn hex4(&mut self) -> Result<u16, SyntaxError> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            return self.fail("unterminated \\u escape");
        };
        let mut n = 0u16;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return self.fail("invalid \\u escape"),
            };
            n = (n << 4) | u16::from(v);
            self.pos += 1;
        }
        Ok(n)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        let negative = self.bytes[self.pos] == b'-';
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                    return self.fail("leading zero in number");
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.fail("invalid number"),
        }
        let int_end = self.pos;
        let mut float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.fail("invalid number");
            }
            float = true;
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.fail("invalid number");
            }
            float = true;
        }
        if !float {
            let mut n: u64 = 0;
            let fits = self.bytes[int_start..int_end].iter().all(|d| {
                match n
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(u64::from(d - b'0')))
                {
                    Some(m) => {
                        n = m;
                        true
                    }
                    None => false,
                }
            });
            if fits {
                return Ok(if !negative {
                    Number::U64(n)
                } else if n == 0 {
                    Number::F64(-0.0)
                } else if n <= 1 << 63 {
                    Number::I64((n as i64).wrapping_neg())
                } else {
                    Number::F64(-(n as f64))
                });
            }
        }
        match self.text[start..self.pos].parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::F64(f)),
            _ => Err(SyntaxError {
                what: "number out of range",
                at: start,
            }),
        }
    }
}

fn unescaped_string(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    unescape(raw, &mut out);
    out
}

/// Unescape the raw contents of a string already checked by `string_span`.
fn unescape(raw: &str, out: &mut String) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&raw[plain..i]);
        let c = bytes[i + 1];
        i += 2;
        match c {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = hex(&bytes[i..i + 4]);
                i += 4;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let lo = hex(&bytes[i + 2..i + 6]);
                    i += 6;
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            other => out.push(char::from(other)), // " \ /
        }
        plain = i;
    }
    out.push_str(&raw[plain..]);
}

fn hex(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| {
        (n << 4) | char::from(d).to_digit(16).unwrap_or(0)
    })
}

/// Does JSON text open more than ``limit`` arrays or objects inside one another?
///
/// Counts brackets outside strings (escapes honoured) and stops at the first that goes past
/// ``limit``; nothing else is checked, so text that is not JSON at all gets an answer too. A
/// guard for parsers that recurse (Python's `json` raises RecursionError, no ValueError).
pub fn nests_deeper(json: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

mod special;
mod values;

pub use special::next_special;

pub use values::{read_value, ValueBuilder};

#[cfg(test)]
mod tests;
