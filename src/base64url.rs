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

/// The length of `len` bytes encoded.
pub fn encoded_len(len: usize) -> usize {
    len / 3 * 4 + [0, 2, 3][len % 3]
}

/// Append `data` encoded to `out`.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + encoded_len(data.len()), 0);
    let dst = &mut out[start..];
    let groups = data.chunks_exact(3);
    let rest = groups.remainder();
    let mut written = 0;
    for (src, dst) in groups.zip(dst.chunks_exact_mut(4)) {
        let n = (u32::from(src[0]) << 16) | (u32::from(src[1]) << 8) | u32::from(src[2]);
        dst[0] = ALPHABET[(n >> 18) as usize & 63];
        dst[1] = ALPHABET[(n >> 12) as usize & 63];
        dst[2] = ALPHABET[(n >> 6) as usize & 63];
        dst[3] = ALPHABET[n as usize & 63];
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
    let groups = text.chunks_exact(4);
    let rest = groups.remainder();
    // Invalid characters set the high bit of their table entry: OR them all, check once.
    let mut bad = 0u8;
    let mut read = 0;
    for (src, dst) in groups.zip(out.chunks_exact_mut(3)) {
        let (a, b, c, d) = (
            DECODE[usize::from(src[0])],
            DECODE[usize::from(src[1])],
            DECODE[usize::from(src[2])],
            DECODE[usize::from(src[3])],
        );
        bad |= a | b | c | d;
        let n = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        dst[0] = (n >> 16) as u8;
        dst[1] = (n >> 8) as u8;
        dst[2] = n as u8;
        read += 3;
    }
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
}
