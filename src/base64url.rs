//! base64url without padding (RFC 4648 §5), as JWS uses it: encoding writes into the caller's
//! buffer, decoding is strict like the `base64` crate's URL_SAFE_NO_PAD (no padding, no other
//! alphabet, unused trailing bits zero), and both work on whole 3-byte groups at a time.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Each byte's 6-bit value, or 0xFF for a byte outside the alphabet.
const DECODE: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Two characters for each 12-bit value: half the lookups of one table per character.
const PAIRS: [[u8; 2]; 4096] = {
    let mut table = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = [ALPHABET[i >> 6], ALPHABET[i & 63]];
        i += 1;
    }
    table
};

/// Each character's 6-bit value, already shifted into place for the four positions of a group;
/// a character outside the alphabet has the top bit set in every position.
const SHIFTED: [[u32; 256]; 4] = {
    let mut tables = [[0x8000_0000u32; 256]; 4];
    let mut i = 0;
    while i < 64 {
        let c = ALPHABET[i] as usize;
        tables[0][c] = (i as u32) << 18;
        tables[1][c] = (i as u32) << 12;
        tables[2][c] = (i as u32) << 6;
        tables[3][c] = i as u32;
        i += 1;
    }
    tables
};

/// The length of `len` bytes encoded.
pub fn encoded_len(len: usize) -> usize {
    len / 3 * 4 + [0, 2, 3][len % 3]
}

/// Append `data` encoded to `out`.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + encoded_len(data.len()), 0);
    let dst = &mut out[start..];
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the CPU has SSSE3 (checked just above).
        let read = unsafe { x86::encode_blocks(data, dst) };
        // `read` is whole groups: the rest encodes to the rest of the text.
        return encode_scalar(&data[read..], &mut dst[read / 3 * 4..]);
    }
    encode_scalar(data, dst);
}

/// Encode `data` into `dst` (exactly its encoded length), a group of three bytes at a time: the
/// whole encoding without SSSE3, the tail with it, and the reference of the SSSE3 code.
fn encode_scalar(data: &[u8], dst: &mut [u8]) {
    let groups = data.chunks_exact(3);
    let rest = groups.remainder();
    let mut written = 0;
    for (src, dst) in groups.zip(dst.chunks_exact_mut(4)) {
        let n = (usize::from(src[0]) << 16) | (usize::from(src[1]) << 8) | usize::from(src[2]);
        dst[..2].copy_from_slice(&PAIRS[n >> 12]);
        dst[2..].copy_from_slice(&PAIRS[n & 0xFFF]);
        written += 4;
    }
    let tail = &mut dst[written..];
    match *rest {
        [a] => {
            tail[0] = ALPHABET[usize::from(a >> 2)];
            tail[1] = ALPHABET[usize::from((a & 3) << 4)];
        }
        [a, b] => {
            tail[0] = ALPHABET[usize::from(a >> 2)];
            tail[1] = ALPHABET[usize::from(((a & 3) << 4) | (b >> 4))];
            tail[2] = ALPHABET[usize::from((b & 15) << 2)];
        }
        _ => {}
    }
}

/// `data` encoded, as a string.
pub fn encode(data: &[u8]) -> String {
    let mut out = Vec::with_capacity(encoded_len(data.len()));
    encode_into(data, &mut out);
    into_string(out)
}

/// Bytes known to be ASCII (encoder output and what was copied around it) as a string.
pub fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The decoded length of `len` characters, `None` for a length no encoding has.
fn decoded_len(len: usize) -> Option<usize> {
    match len % 4 {
        1 => None,
        r => Some(len / 4 * 3 + [0, 0, 1, 2][r]),
    }
}

/// Decode `text` into `out` (exactly its decoded length). `None` when it is not base64url.
fn decode_to(text: &[u8], out: &mut [u8]) -> Option<()> {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the CPU has SSSE3 (checked just above).
        let (read, valid) = unsafe { x86::decode_blocks(text, out) };
        if !valid {
            return None;
        }
        // `read` is whole groups: the rest decodes to the rest of the bytes.
        return decode_scalar(&text[read..], &mut out[read / 4 * 3..]);
    }
    decode_scalar(text, out)
}

/// [`decode_to`] a group of four characters at a time: the whole decoding without SSSE3, the
/// tail with it, and the reference of the SSSE3 code.
fn decode_scalar(text: &[u8], out: &mut [u8]) -> Option<()> {
    let groups = text.chunks_exact(4);
    let rest = groups.remainder();
    // Invalid characters set the top bit: OR every group, check once.
    let mut bad_groups = 0u32;
    let mut read = 0;
    for (src, dst) in groups.zip(out.chunks_exact_mut(3)) {
        let n = SHIFTED[0][usize::from(src[0])]
            | SHIFTED[1][usize::from(src[1])]
            | SHIFTED[2][usize::from(src[2])]
            | SHIFTED[3][usize::from(src[3])];
        bad_groups |= n;
        dst.copy_from_slice(&n.to_be_bytes()[1..]);
        read += 3;
    }
    let mut bad = if bad_groups & 0x8000_0000 != 0 {
        0x80u8
    } else {
        0
    };
    let tail = &mut out[read..];
    match *rest {
        [a, b] => {
            let (a, b) = (DECODE[usize::from(a)], DECODE[usize::from(b)]);
            bad |= a | b;
            // The last character's unused low bits must be zero.
            if b & 0x0F != 0 {
                return None;
            }
            tail[0] = (a << 2) | (b >> 4);
        }
        [a, b, c] => {
            let (a, b, c) = (
                DECODE[usize::from(a)],
                DECODE[usize::from(b)],
                DECODE[usize::from(c)],
            );
            bad |= a | b | c;
            if c & 0x03 != 0 {
                return None;
            }
            tail[0] = (a << 2) | (b >> 4);
            tail[1] = (b << 4) | (c >> 2);
        }
        _ => {}
    }
    (bad & 0x80 == 0).then_some(())
}

/// Decode `text`; `None` when it is not base64url.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; decoded_len(text.len())?];
    decode_to(text, &mut out)?;
    Some(out)
}

/// Decode a short `text` (a MAC) into `buf`; `None` when it is not base64url or does not fit.
pub fn decode_into_slice<'b>(text: &[u8], buf: &'b mut [u8]) -> Option<&'b [u8]> {
    let len = decoded_len(text.len())?;
    let out = buf.get_mut(..len)?;
    decode_to(text, out)?;
    Some(out)
}

#[cfg(target_arch = "x86_64")]
#[path = "base64url_x86.rs"]
mod x86;

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use proptest::prelude::*;

    #[test]
    fn rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded.as_bytes()).unwrap(), plain.as_bytes());
        }
        assert_eq!(encode(&[0xFB, 0xFF]), "-_8");
        for bad in ["Zg==", "Z", "Zh", "Zm9", "Zm+v", "Zm/v", "Zm9v\n", "Zm 9"] {
            assert_eq!(
                decode(bad.as_bytes()),
                URL_SAFE_NO_PAD.decode(bad).ok(),
                "{bad}"
            );
        }
        assert_eq!(decode_into_slice(b"Zm9vYmFy", &mut [0u8; 5]), None);
    }

    /// What `decode` gives without the SSSE3 blocks.
    fn decode_reference(text: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; decoded_len(text.len())?];
        decode_scalar(text, &mut out)?;
        Some(out)
    }

    /// The tests above and below go through the SSSE3 blocks where the CPU has them.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn ssse3_blocks_take_the_bulk() {
        if !x86::available() {
            return;
        }
        let data = [7u8; 100];
        let mut text = [0u8; 136];
        // SAFETY: the CPU has SSSE3 (checked above).
        let read = unsafe { x86::encode_blocks(&data, &mut text) };
        assert_eq!(read, 96);
        let mut back = [0u8; 100];
        // SAFETY: as above.
        let (read, valid) = unsafe { x86::decode_blocks(&text[..133], &mut back) };
        assert_eq!((read, valid), (128, true));
        assert_eq!(&back[..96], &data[..96]);
    }

    #[test]
    fn every_byte_in_every_position_of_a_block_decodes_like_the_reference() {
        let valid = encode(&(0u8..=255).collect::<Vec<_>>());
        for at in 0..40 {
            for byte in 0..=255u8 {
                let mut text = valid.as_bytes()[..40].to_vec();
                text[at] = byte;
                assert_eq!(decode(&text), decode_reference(&text), "{byte:#x} at {at}");
            }
        }
    }

    proptest! {
        #[test]
        fn encodes_like_the_base64_crate(data in prop::collection::vec(any::<u8>(), 0..200)) {
            let ours = encode(&data);
            prop_assert_eq!(&ours, &URL_SAFE_NO_PAD.encode(&data));
            prop_assert_eq!(decode(ours.as_bytes()), Some(data.clone()));
            let mut prefixed = b"x.".to_vec();
            encode_into(&data, &mut prefixed);
            prop_assert_eq!(&prefixed[2..], ours.as_bytes());
        }

        #[test]
        fn decodes_like_the_base64_crate(text in "[A-Za-z0-9_\\-+/=. ]{0,40}") {
            prop_assert_eq!(decode(text.as_bytes()), URL_SAFE_NO_PAD.decode(&text).ok());
        }

        #[test]
        fn decodes_any_bytes_like_the_base64_crate(text in prop::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
        }
    }

    proptest! {
        #[test]
        fn long_data_encodes_like_the_reference(data in prop::collection::vec(any::<u8>(), 0..400)) {
            let mut reference = vec![0u8; encoded_len(data.len())];
            encode_scalar(&data, &mut reference);
            let ours = encode(&data);
            prop_assert_eq!(ours.as_bytes(), &reference[..]);
            prop_assert_eq!(decode(&reference), Some(data.clone()));
        }

        #[test]
        fn long_text_decodes_like_the_reference(
            data in prop::collection::vec(any::<u8>(), 0..400),
            damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
            cut in 0usize..4,
        ) {
            // Good text with a few bytes changed and maybe shortened: most of it decodes, the
            // damage falls in SSSE3 blocks and in the tail alike.
            let mut text = encode(&data).into_bytes();
            for (at, byte) in damage {
                if !text.is_empty() {
                    let at = at.index(text.len());
                    text[at] = byte;
                }
            }
            text.truncate(text.len().saturating_sub(cut));
            prop_assert_eq!(decode(&text), decode_reference(&text));
            prop_assert_eq!(decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
        }
    }
}
