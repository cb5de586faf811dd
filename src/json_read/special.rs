//! Finding what ends a run of plain string contents: `"`, `\\` or a control character.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
};

/// The index of the first `"`, `\\` or control character at or after `from` (or the length):
/// what ends a run of plain string contents, in JSON text and in strings to be written as JSON.
/// Sixteen bytes at a time with SSE2 (part of every x86-64), the rest as [`next_special_swar`].
#[cfg(target_arch = "x86_64")]
pub fn next_special(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i + 16 <= bytes.len() {
        // SAFETY: bytes i..i + 16 are inside the slice (checked above) and the load is unaligned;
        // SSE2 is part of the x86-64 baseline, so the instructions exist on every such CPU.
        let found = unsafe {
            let x = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
            let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
            // x <= 0x1F (unsigned) exactly when min(x, 0x1F) == x.
            let control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
        };
        if found != 0 {
            return i + found.trailing_zeros() as usize;
        }
        i += 16;
    }
    next_special_swar(bytes, i)
}

/// The index of the first `"`, `\\` or control character at or after `from` (or the length).
#[cfg(not(target_arch = "x86_64"))]
pub fn next_special(bytes: &[u8], from: usize) -> usize {
    next_special_swar(bytes, from)
}

/// [`next_special`] eight bytes at a time with plain integers: the tail of the SSE2 search, the
/// whole search elsewhere, and a reference in the tests.
pub(super) fn next_special_swar(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        // A byte's high bit is set in a term when that byte is zero (below 0x20 for the last);
        // the lowest such byte is always a true one.
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x);
        let found = found & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b < 0x20 || b == b'"' || b == b'\\' {
            return i;
        }
        i += 1;
    }
    bytes.len()
}
