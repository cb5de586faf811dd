//! Finding what ends a run of plain string contents: `"`, `\\` or a control character.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
};

/// The index of the first `"`, `\\` or control character at or after `from` (or the length):
/// what ends a run of plain string contents, in JSON text and in strings to be written as JSON.
/// Sixteen bytes at a time with SSE2 (part of every x86-64); the last bytes of the slice in one
/// more block that overlaps the ones searched, or for a short slice in overlapping words.
#[cfg(target_arch = "x86_64")]
pub fn next_special(bytes: &[u8], from: usize) -> usize {
    let len = bytes.len();
    let mut i = from;
    while i + 16 <= len {
        let found = block(bytes, i);
        if found != 0 {
            return i + found.trailing_zeros() as usize;
        }
        i += 16;
    }
    if i >= len {
        return len;
    }
    if len >= 16 {
        // The last sixteen bytes, without those before `i` (searched, or before `from`).
        let start = len - 16;
        let found = block(bytes, start) & (u32::MAX << (i - start));
        return if found != 0 {
            start + found.trailing_zeros() as usize
        } else {
            len
        };
    }
    short(bytes, i)
}

/// A bit for each of the sixteen bytes at `at` that is `"`, `\\` or below 0x20.
#[cfg(target_arch = "x86_64")]
#[inline]
fn block(bytes: &[u8], at: usize) -> u32 {
    assert!(at + 16 <= bytes.len());
    // SAFETY: bytes at..at + 16 are inside the slice (asserted above) and the load is
    // unaligned; SSE2 is part of the x86-64 baseline, so the instructions exist on every such CPU.
    let found = unsafe {
        let x = _mm_loadu_si128(bytes.as_ptr().add(at).cast());
        let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
        // x <= 0x1F (unsigned) exactly when min(x, 0x1F) == x.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
    };
    found as u32
}

/// [`next_special`] in a slice shorter than sixteen bytes, from `i` (inside it): a word at `i`
/// and one ending at the end, overlapping, with the bytes before `i` masked out.
#[cfg(target_arch = "x86_64")]
fn short(bytes: &[u8], mut i: usize) -> usize {
    let len = bytes.len();
    let (start, word) = if len >= 8 {
        if i + 8 <= len {
            let found = specials(u64::from_le_bytes(word_at(bytes, i)));
            if found != 0 {
                return i + (found.trailing_zeros() / 8) as usize;
            }
            i += 8;
            if i == len {
                return len;
            }
        }
        (len - 8, u64::from_le_bytes(word_at(bytes, len - 8)))
    } else if len >= 4 {
        // Four bytes at a time, with four plain ones above them.
        let half =
            |at: usize| u64::from(u32::from_le_bytes(word_at(bytes, at))) | 0x6161_6161_0000_0000;
        if i + 4 <= len {
            let found = specials(half(i));
            if found != 0 {
                return i + (found.trailing_zeros() / 8) as usize;
            }
            i += 4;
            if i == len {
                return len;
            }
        }
        (len - 4, half(len - 4))
    } else {
        return bytes[i..]
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .map_or(len, |p| i + p);
    };
    let found = specials(word) & (u64::MAX << (8 * (i.saturating_sub(start))));
    if found != 0 {
        start + (found.trailing_zeros() / 8) as usize
    } else {
        len
    }
}

#[cfg(target_arch = "x86_64")]
fn word_at<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut word = [0u8; N];
    word.copy_from_slice(&bytes[at..at + N]);
    word
}

/// The high bit of each byte of `x` that is `"`, `\\` or below 0x20, and no other: exact for
/// every byte (no borrow between bytes), so bytes can be masked out of the result.
#[cfg(target_arch = "x86_64")]
#[inline]
fn specials(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // High bit clear exactly where a byte of t is zero.
    let nonzero = |t: u64| ((t & LOW7) + LOW7) | t;
    let quote = nonzero(x ^ (ONES * u64::from(b'"')));
    let backslash = nonzero(x ^ (ONES * u64::from(b'\\')));
    // High bit set exactly where a byte is 0x20 or more.
    let not_control = ((x & LOW7) + ONES * 0x60) | x;
    !(quote & backslash & not_control) & !LOW7
}

/// The index of the first `"`, `\\` or control character at or after `from` (or the length).
#[cfg(not(target_arch = "x86_64"))]
pub fn next_special(bytes: &[u8], from: usize) -> usize {
    next_special_swar(bytes, from)
}

/// [`next_special`] eight bytes at a time with plain integers: the search on other targets, and
/// a reference in the tests.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
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
