//! base64url sixteen characters (twelve bytes) at a time with SSSE3, after Wojciech Muła and
//! Daniel Lemire's vectorised base64 ("Faster Base64 Encoding and Decoding Using AVX2
//! Instructions", 2018), with the URL-safe alphabet. Used when the CPU has SSSE3 (checked at
//! run time, once); the whole-group scalar code in `base64url` does the rest and is the
//! reference the property tests hold these to.

use std::arch::x86_64::{
    __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128,
    _mm_madd_epi16, _mm_maddubs_epi16, _mm_movemask_epi8, _mm_mulhi_epu16, _mm_mullo_epi16,
    _mm_or_si128, _mm_set1_epi32, _mm_set1_epi8, _mm_setr_epi8, _mm_shuffle_epi8, _mm_srli_epi32,
    _mm_storeu_si128, _mm_subs_epu8,
};

/// Whether the CPU has SSSE3 (`is_x86_feature_detected!` caches the answer).
pub(super) fn available() -> bool {
    is_x86_feature_detected!("ssse3")
}

/// Encode the leading whole blocks of twelve bytes of `data` into `out`, as long as sixteen bytes
/// can be read; returns the bytes read (a multiple of twelve; `out` gets 4/3 of that).
/// `out` must have room for the encoding of all of `data`.
///
/// # Safety
/// The CPU must have SSSE3 ([`available`]).
#[target_feature(enable = "ssse3")]
pub(super) unsafe fn encode_blocks(data: &[u8], out: &mut [u8]) -> usize {
    // Kept opaque: knowing it, the compiler turns the one multiply by it into a dozen shifts.
    let shifts = std::hint::black_box(_mm_set1_epi32(0x0400_0040));
    let mut read = 0;
    let mut written = 0;
    while read + 16 <= data.len() && written + 16 <= out.len() {
        // SAFETY: bytes read..read + 16 of `data` and written..written + 16 of `out` are inside
        // the slices (checked above); loads and stores are unaligned.
        unsafe {
            let input = _mm_loadu_si128(data.as_ptr().add(read).cast());
            let text = encode_block(input, shifts);
            _mm_storeu_si128(out.as_mut_ptr().add(written).cast(), text);
        }
        read += 12;
        written += 16;
    }
    read
}

/// The sixteen characters of the first twelve bytes of `input`; `shifts` is 0x0400_0040 in each
/// 32-bit lane.
#[target_feature(enable = "ssse3")]
fn encode_block(input: __m128i, shifts: __m128i) -> __m128i {
    // Each 32-bit lane gets the three bytes of one group, as the 16-bit words [b1 b0] [b2 b1].
    let input = _mm_shuffle_epi8(
        input,
        _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10),
    );
    // The four 6-bit values of each group into its four bytes, by multiplications that shift.
    let t0 = _mm_and_si128(input, _mm_set1_epi32(0x0fc0_fc00));
    let t1 = _mm_mulhi_epu16(t0, shifts);
    let t2 = _mm_and_si128(input, _mm_set1_epi32(0x003f_03f0));
    let t3 = _mm_mullo_epi16(t2, _mm_set1_epi32(0x0100_0010));
    let indices = _mm_or_si128(t1, t3);
    // The offset from each 6-bit value to its character: 0..=25 -> 13, 26..=51 -> 0,
    // 52..=61 -> 1..=10, 62 -> 11, 63 -> 12 index a table of offsets.
    let mut class = _mm_subs_epu8(indices, _mm_set1_epi8(51));
    let upper = _mm_cmpgt_epi8(_mm_set1_epi8(26), indices);
    class = _mm_or_si128(class, _mm_and_si128(upper, _mm_set1_epi8(13)));
    let digit = (b'0' as i8).wrapping_sub(52);
    let offsets = _mm_setr_epi8(
        (b'a' - 26) as i8,
        digit,
        digit,
        digit,
        digit,
        digit,
        digit,
        digit,
        digit,
        digit,
        digit,
        (b'-' as i8).wrapping_sub(62),
        (b'_' - 63) as i8,
        b'A' as i8,
        0,
        0,
    );
    _mm_add_epi8(_mm_shuffle_epi8(offsets, class), indices)
}

/// Decode the leading blocks of sixteen characters of `text` into `out` (twelve bytes each);
/// returns the characters read (a multiple of sixteen) and whether all of them were in the
/// alphabet (when not, what was written is not to be used). `out` must have room for the
/// decoding of all of `text`.
///
/// # Safety
/// The CPU must have SSSE3 ([`available`]).
#[target_feature(enable = "ssse3")]
pub(super) unsafe fn decode_blocks(text: &[u8], out: &mut [u8]) -> (usize, bool) {
    let mut read = 0;
    let mut written = 0;
    let mut bad = 0;
    while read + 16 <= text.len() {
        // SAFETY: bytes read..read + 16 of `text` are inside it (checked above); the load is
        // unaligned.
        let input = unsafe { _mm_loadu_si128(text.as_ptr().add(read).cast()) };
        let (bytes, invalid) = decode_block(input);
        bad |= invalid;
        let mut block = [0u8; 16];
        // SAFETY: `block` has the sixteen bytes stored; the store is unaligned.
        unsafe { _mm_storeu_si128(block.as_mut_ptr().cast(), bytes) };
        out[written..written + 12].copy_from_slice(&block[..12]);
        read += 16;
        written += 12;
    }
    (read, bad == 0)
}

/// The twelve bytes of sixteen characters (in the first twelve bytes of the result), and a
/// non-zero mask when any character is outside the alphabet.
#[target_feature(enable = "ssse3")]
fn decode_block(input: __m128i) -> (__m128i, i32) {
    let nibble = _mm_set1_epi8(0x0F);
    let hi = _mm_and_si128(_mm_srli_epi32(input, 4), nibble);
    let lo = _mm_and_si128(input, nibble);
    // Validity: each high nibble has a class bit, each low nibble the bits of the classes it is
    // invalid in. Classes: 0x2_ ('-' only), 0x3_ (digits), 0x4_ and 0x6_ (letters from 1),
    // 0x5_ (letters to 0xA, and '_'), 0x7_ (letters to 0xA), anything else (no character).
    const DASH: i8 = 1;
    const DIGITS: i8 = 2;
    const FROM_1: i8 = 4;
    const UPPER_HIGH: i8 = 8;
    const LOWER_HIGH: i8 = 16;
    const NONE: i8 = 32;
    let class = _mm_setr_epi8(
        NONE, NONE, DASH, DIGITS, FROM_1, UPPER_HIGH, FROM_1, LOWER_HIGH, NONE, NONE, NONE, NONE,
        NONE, NONE, NONE, NONE,
    );
    let invalid_in = |lo: i8| -> i8 {
        NONE | if lo != 0xD { DASH } else { 0 }
            | if lo > 9 { DIGITS } else { 0 }
            | if lo == 0 { FROM_1 } else { 0 }
            | if (0xB..=0xE).contains(&lo) {
                UPPER_HIGH
            } else {
                0
            }
            | if lo > 0xA { LOWER_HIGH } else { 0 }
    };
    let invalid = _mm_setr_epi8(
        invalid_in(0),
        invalid_in(1),
        invalid_in(2),
        invalid_in(3),
        invalid_in(4),
        invalid_in(5),
        invalid_in(6),
        invalid_in(7),
        invalid_in(8),
        invalid_in(9),
        invalid_in(10),
        invalid_in(11),
        invalid_in(12),
        invalid_in(13),
        invalid_in(14),
        invalid_in(15),
    );
    let flags = _mm_and_si128(_mm_shuffle_epi8(class, hi), _mm_shuffle_epi8(invalid, lo));
    let bad = _mm_movemask_epi8(_mm_cmpeq_epi8(flags, _mm_set1_epi8(0))) ^ 0xFFFF;
    // Values: the character plus an offset by its high nibble; '_' (0x5F) differs from the
    // letters of its nibble by 33.
    let offsets = _mm_setr_epi8(
        0,
        0,
        62 - 45,
        52 - 48,
        -65,
        -65,
        -71,
        -71,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    );
    let underscore = _mm_and_si128(
        _mm_cmpeq_epi8(input, _mm_set1_epi8(b'_' as i8)),
        _mm_set1_epi8(33),
    );
    let values = _mm_add_epi8(
        _mm_add_epi8(input, _mm_shuffle_epi8(offsets, hi)),
        underscore,
    );
    // Four 6-bit values into three bytes per 32-bit lane, then the lanes' bytes in order.
    let pairs = _mm_maddubs_epi16(values, _mm_set1_epi32(0x0140_0140));
    let groups = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001_1000));
    let bytes = _mm_shuffle_epi8(
        groups,
        _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1),
    );
    (bytes, bad)
}
