//! The JWS compact form with HMAC: `base64url(header).base64url(claims).base64url(mac)`.
//!
//! HMAC keys are prepared once per secret (the key's inner and outer hash states), so signing or
//! verifying a token hashes only its own bytes.

use std::sync::Mutex;

use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};

use crate::base64url;

/// The HMAC algorithms of JWS: the only ones Docs and this add-on use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    HS256,
    HS384,
    HS512,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }

    /// The JOSE header we sign with, as jsonwebtoken and PyJWT write it for HMAC.
    fn header(self) -> &'static str {
        match self {
            Algorithm::HS256 => r#"{"typ":"JWT","alg":"HS256"}"#,
            Algorithm::HS384 => r#"{"typ":"JWT","alg":"HS384"}"#,
            Algorithm::HS512 => r#"{"typ":"JWT","alg":"HS512"}"#,
        }
    }
}

/// An HMAC key with its hash states prepared.
#[derive(Clone)]
enum Key {
    S256(Hmac<Sha256>),
    S384(Hmac<Sha384>),
    S512(Hmac<Sha512>),
}

impl Key {
    fn new(secret: &[u8], alg: Algorithm) -> Key {
        // HMAC takes keys of any length: new_from_slice cannot fail.
        match alg {
            Algorithm::HS256 => Key::S256(Hmac::new_from_slice(secret).expect("any key length")),
            Algorithm::HS384 => Key::S384(Hmac::new_from_slice(secret).expect("any key length")),
            Algorithm::HS512 => Key::S512(Hmac::new_from_slice(secret).expect("any key length")),
        }
    }

    /// The MAC of `message`, written into `out`; returns its length.
    fn mac(self, message: &[u8], out: &mut [u8; 64]) -> usize {
        fn run<M: Mac>(mut mac: M, message: &[u8], out: &mut [u8]) -> usize {
            mac.update(message);
            let tag = mac.finalize().into_bytes();
            out[..tag.len()].copy_from_slice(&tag);
            tag.len()
        }
        match self {
            Key::S256(m) => run(m, message, out),
            Key::S384(m) => run(m, message, out),
            Key::S512(m) => run(m, message, out),
        }
    }

    /// Constant-time check of `tag` against the MAC of `message`.
    fn verify(self, message: &[u8], tag: &[u8]) -> bool {
        fn run<M: Mac>(mut mac: M, message: &[u8], tag: &[u8]) -> bool {
            mac.update(message);
            mac.verify_slice(tag).is_ok()
        }
        match self {
            Key::S256(m) => run(m, message, tag),
            Key::S384(m) => run(m, message, tag),
            Key::S512(m) => run(m, message, tag),
        }
    }
}

/// The keys prepared last: a site signs and verifies with one secret, or a few.
type Prepared = (Box<[u8]>, Algorithm, Key);
static PREPARED: Mutex<Vec<Prepared>> = Mutex::new(Vec::new());
const PREPARED_KEYS: usize = 4;

fn key(secret: &[u8], alg: Algorithm) -> Key {
    // try_lock: never wait (nor deadlock); a busy cache only means preparing the key again.
    let Ok(mut cache) = PREPARED.try_lock() else {
        return Key::new(secret, alg);
    };
    if let Some((_, _, key)) = cache.iter().find(|(s, a, _)| **s == *secret && *a == alg) {
        return key.clone();
    }
    let key = Key::new(secret, alg);
    if cache.len() == PREPARED_KEYS {
        cache.remove(0);
    }
    cache.push((secret.into(), alg, key.clone()));
    key
}

/// Sign claims serialized as JSON: the JWS compact form.
pub fn sign(claims_json: &[u8], secret: &[u8], alg: Algorithm) -> String {
    let header = alg.header();
    let mut token = Vec::with_capacity(
        base64url::encoded_len(header.len()) + base64url::encoded_len(claims_json.len()) + 90,
    );
    base64url::encode_into(header.as_bytes(), &mut token);
    token.push(b'.');
    base64url::encode_into(claims_json, &mut token);
    let mut tag = [0u8; 64];
    let len = key(secret, alg).mac(&token, &mut tag);
    token.push(b'.');
    base64url::encode_into(&tag[..len], &mut token);
    base64url::into_string(token)
}

/// Whether `signature` (base64url) is the MAC of `message` under `secret`; `None` when it is not
/// base64url at all.
pub fn verify(message: &[u8], signature: &str, secret: &[u8], alg: Algorithm) -> Option<bool> {
    let mut tag = [0u8; 64];
    let tag = base64url::decode_into_slice(signature.as_bytes(), &mut tag)?;
    Some(key(secret, alg).verify(message, tag))
}

/// The MAC of `message`, for tests that build tokens by hand.
#[cfg(test)]
pub(crate) fn mac(message: &[u8], secret: &[u8], alg: Algorithm, out: &mut [u8; 64]) -> usize {
    Key::new(secret, alg).mac(message, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_jsonwebtoken() {
        let claims = br#"{"key":"k","n":1}"#;
        for (alg, theirs) in [
            (Algorithm::HS256, jsonwebtoken::Algorithm::HS256),
            (Algorithm::HS384, jsonwebtoken::Algorithm::HS384),
            (Algorithm::HS512, jsonwebtoken::Algorithm::HS512),
        ] {
            let token = sign(claims, b"s3cret", alg);
            let (message, signature) = token.rsplit_once('.').unwrap();
            let key = jsonwebtoken::EncodingKey::from_secret(b"s3cret");
            let expected = jsonwebtoken::crypto::sign(message.as_bytes(), &key, theirs).unwrap();
            assert_eq!(signature, expected);
            assert_eq!(
                verify(message.as_bytes(), signature, b"s3cret", alg),
                Some(true)
            );
            assert_eq!(
                verify(message.as_bytes(), signature, b"other", alg),
                Some(false)
            );
            assert_eq!(verify(message.as_bytes(), "*", b"s3cret", alg), None);
            // A truncated or extended MAC is no MAC.
            let short = &signature[..signature.len() - 4];
            let long = format!("{signature}AAAA");
            for other in [short, &long, &signature[..20], ""] {
                assert_ne!(
                    verify(message.as_bytes(), other, b"s3cret", alg),
                    Some(true)
                );
            }
        }
    }

    proptest! {
        #[test]
        fn prepared_keys_give_the_same_macs(
            secrets in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..200), 1..8),
            message in prop::collection::vec(any::<u8>(), 0..300),
            alg in 0usize..3,
        ) {
            let alg = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512][alg];
            // Round-robin over more secrets than the cache keeps.
            for secret in secrets.iter().chain(secrets.iter()) {
                let token = sign(&message, secret, alg);
                let (signed, signature) = token.rsplit_once('.').unwrap();
                let mut fresh = [0u8; 64];
                let len = Key::new(secret, alg).mac(signed.as_bytes(), &mut fresh);
                let mut cached = [0u8; 64];
                let cached = base64url::decode_into_slice(signature.as_bytes(), &mut cached).unwrap();
                prop_assert_eq!(cached, &fresh[..len]);
            }
        }
    }
}
