//! Conversion and command replies (JSON and the hand-written XML reader) must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onlyoffice_plone_core::command::{parse_command_response, Command};
use onlyoffice_plone_core::conversion::parse_conversion_response;

fuzz_target!(|data: &[u8]| {
    let _ = parse_conversion_response(data, None);
    let _ = parse_conversion_response(data, Some("text/xml"));
    if let Ok(r) = parse_conversion_response(data, Some("application/json")) {
        assert!((0..=100).contains(&r.percent));
        assert!(!r.end_convert || r.file_url.is_some());
    }
    let _ = parse_command_response(Command::Info, data);
});
