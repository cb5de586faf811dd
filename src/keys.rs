//! Document keys: the identifier of one editing session of one revision of one document.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The longest key Docs documents (its code accepts 240; we never produce more than 128).
pub const MAX_KEY_LEN: usize = 128;

/// Longest readable UID prefix kept in a key.
const MAX_UID_PREFIX: usize = 64;

/// Whether `key` is a key Docs accepts: 1 to 128 characters from `0-9 a-z A-Z - . _ =`.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(is_key_byte)
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'=')
}

/// Derive the document key of one content revision of one object of one Plone site.
///
/// The key is `<uid>.<digest>`: the UID's key-safe characters (at most 64, for reading Docs logs)
/// and the unpadded base64url SHA-256 of the three inputs, each length-prefixed so no two input
/// triples share a digest input. Metadata edits do not enter the key; the caller changes `revision`
/// for every content change. `instance_id` separates Plone sites that share one Docs server (and
/// copies of one database) and may be a secret: only its digest appears in the key.
pub fn document_key(instance_id: &str, uid: &str, revision: &str) -> Result<String> {
    for (name, value) in [
        ("instance_id", instance_id),
        ("uid", uid),
        ("revision", revision),
    ] {
        if value.is_empty() {
            return Err(Error::argument(format!(
                "document key: {name} must not be empty"
            )));
        }
    }
    let digest = key_digest(instance_id, uid, revision);
    let mut key = String::with_capacity(MAX_UID_PREFIX + 1 + 43);
    key.extend(
        uid.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(MAX_UID_PREFIX),
    );
    key.push('.');
    key.push_str(&crate::base64url::encode(&digest));
    Ok(key)
}

fn key_digest(instance_id: &str, uid: &str, revision: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"onlyoffice-plone document key v1\0");
    for part in [instance_id, uid, revision] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shape() {
        let key = document_key("site-secret", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "3").unwrap();
        assert!(key.starts_with("0f1e2d3c4b5a69788796a5b4c3d2e1f0."));
        assert_eq!(key.len(), 32 + 1 + 43);
        assert!(is_valid_key(&key));
    }

    #[test]
    fn empty_inputs_are_refused() {
        assert!(document_key("", "u", "1").is_err());
        assert!(document_key("i", "", "1").is_err());
        assert!(document_key("i", "u", "").is_err());
    }

    #[test]
    fn valid_key_rules() {
        assert!(is_valid_key("abc-ABC_09.="));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("a b"));
        assert!(!is_valid_key("a/b"));
        assert!(!is_valid_key("a+b"));
        assert!(!is_valid_key(&"a".repeat(129)));
        assert!(is_valid_key(&"a".repeat(128)));
    }

    proptest! {
        #[test]
        fn keys_are_valid_and_deterministic(i in ".{1,80}", u in ".{1,300}", r in ".{1,40}") {
            let key = document_key(&i, &u, &r).unwrap();
            prop_assert!(is_valid_key(&key), "{}", key);
            prop_assert_eq!(key, document_key(&i, &u, &r).unwrap());
        }

        #[test]
        fn every_input_changes_the_key(
            i in ".{1,20}", u in ".{1,40}", r in ".{1,20}",
            i2 in ".{1,20}", u2 in ".{1,40}", r2 in ".{1,20}",
        ) {
            let key = document_key(&i, &u, &r).unwrap();
            if i2 != i { prop_assert_ne!(&key, &document_key(&i2, &u, &r).unwrap()); }
            if u2 != u { prop_assert_ne!(&key, &document_key(&i, &u2, &r).unwrap()); }
            if r2 != r { prop_assert_ne!(&key, &document_key(&i, &u, &r2).unwrap()); }
        }

        #[test]
        fn moving_characters_between_inputs_changes_the_digest(
            s in "[a-z]{3,20}", k1 in 1usize..20, k2 in 1usize..20,
        ) {
            // ("ab", "c") and ("a", "bc") must not collide: the inputs are length-prefixed
            let (k1, k2) = (k1 % (s.len() - 1) + 1, k2 % (s.len() - 1) + 1);
            prop_assume!(k1 != k2);
            for (a, b) in [(0, 1), (1, 2), (0, 2)] {
                let split = |k: usize| {
                    let mut parts = ["u", "u", "u"];
                    parts[a] = &s[..k];
                    parts[b] = &s[k..];
                    key_digest(parts[0], parts[1], parts[2])
                };
                prop_assert_ne!(split(k1), split(k2));
            }
        }
    }
}
