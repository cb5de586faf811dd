//! Callback parsing must never panic, and whatever it accepts must be valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onlyoffice_plone_core::callback::{parse_callback, CallbackSettings};
use onlyoffice_plone_core::keys::is_valid_key;
use onlyoffice_plone_core::urls::AllowedOrigins;

const SECRET: &str = "fuzz-secret";

fuzz_target!(|data: &[u8]| {
    // First byte: JWT on/off; then an optional header value up to the first NUL; then the body.
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (header, body) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (std::str::from_utf8(&rest[..i]).ok(), &rest[i + 1..]),
        None => (None, rest),
    };
    let settings = CallbackSettings {
        secret: (mode & 1 == 1).then_some(SECRET),
        allowed_origins: AllowedOrigins::parse(&["https://docs.example.com"]).unwrap(),
        max_bytes: 64 * 1024,
        ..CallbackSettings::default()
    };
    if let Ok(cb) = parse_callback(body, header, &settings) {
        assert!(is_valid_key(&cb.key));
        for url in [&cb.url, &cb.changesurl, &cb.formsdataurl]
            .into_iter()
            .flatten()
        {
            assert!(settings.allowed_origins.check(url).is_ok());
        }
        if cb.status.carries_file() {
            assert!(cb.url.is_some());
        }
    }
});
