//! Token verification must never panic and must never accept a token not signed with the secret.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onlyoffice_plone_core::tokens::{incoming_payload, verify_token, Verifier};

const SECRET: &str = "fuzz-secret";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Without the secret no input can be forged into a valid token.
    if let Ok(claims) = verify_token(text, SECRET, 60) {
        panic!("accepted an unsigned token: {claims:?}");
    }
    let _ = verify_token(
        text,
        "another",
        u64::from(data.first().copied().unwrap_or(0)),
    );
    let _ = incoming_payload(None, Some(text), &Verifier::new(SECRET));
});
