//! The reader against serde_json: the same values for what both accept, refused where it refuses.

use super::*;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Both readers agree: equal values (and equal text, which tells -0.0 from 0 and a float from an
/// integer), or both refuse.
fn agree(text: &[u8]) {
    let ours = read_value(text);
    let theirs = serde_json::from_slice::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{:?}", String::from_utf8_lossy(text));
            assert_eq!(a.to_string(), b.to_string());
        }
        (Err(_), Err(_)) => {}
        _ => panic!(
            "disagree on {:?}: ours {ours:?}, serde_json {theirs:?}",
            String::from_utf8_lossy(text)
        ),
    }
}

#[test]
fn the_grammar_and_its_corners() {
    for text in [
        "{}",
        "[]",
        " { } ",
        "null",
        "true",
        "false",
        "0",
        "-0",
        "-0.0",
        "1",
        "-1",
        "1.5",
        "1e3",
        "1E+3",
        "1e-3",
        "0.1",
        "\"\"",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
        "\"\\u00e9\\u20ac\\ud83d\\ude00\"",
        "\"é€😀\"",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "-18446744073709551615",
        "-18446744073709551616",
        "123456789012345678901234567890",
        "1e308",
        "1e309",
        "-1e309",
        "1e-400",
        "0e999999999999999999",
        "2.2250738585072011e-308",
        "0.30000000000000004",
        "9007199254740993",
        "9007199254740993.0",
        "{\"a\":1,\"a\":2}",
        "{\"a\\u0062\":1, \"ab\": [1, {\"c\": null}]}",
        "[1,2,[3,[4]]]",
        // Refused:
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\"}",
        "{a:1}",
        "01",
        "-",
        "1.",
        ".5",
        "+1",
        "1e",
        "1e+",
        "--1",
        "0x10",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        "[1 2]",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"a\u{1}\"",
        "\"unterminated",
        "{} {}",
        "[]]",
        "{\"a\":1}x",
        "\u{feff}{}",
    ] {
        agree(text.as_bytes());
    }
    agree(b"\"\xff\"");
    agree(b"\"\xc3\"");
}

#[test]
fn nesting_is_bounded_like_serde_json() {
    for depth in [1, 126, 127, 128, 129, 5000] {
        let text = "[".repeat(depth) + &"]".repeat(depth);
        agree(text.as_bytes());
        let text = "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
        agree(text.as_bytes());
    }
    assert!(
        read_value(&b"[".repeat(100_000)).is_err(),
        "no stack overflow"
    );
}

#[test]
fn read_object_reports_the_time_claims() {
    let (value, times) = read_object(
        br#"{"a":{"exp":"inner"},"exp":5,"nbf":null,"x":[1]}"#,
        &mut ValueBuilder,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        value,
        json!({"a": {"exp": "inner"}, "exp": 5, "nbf": null, "x": [1]})
    );
    assert_eq!(
        times,
        TimeClaims {
            exp: Scalar::Number(Number::U64(5)),
            nbf: Scalar::Null
        }
    );
    let (_, times) = read_object(br#"{"exp":1,"nbf":-2.5,"exp":1}"#, &mut ValueBuilder)
        .unwrap()
        .unwrap();
    assert_eq!(times.exp, Scalar::Duplicate);
    assert_eq!(times.nbf, Scalar::Number(Number::F64(-2.5)));
    let (_, times) = read_object(br#"{"exp":"x","nbf":{}}"#, &mut ValueBuilder)
        .unwrap()
        .unwrap();
    assert_eq!((times.exp, times.nbf), (Scalar::Other, Scalar::Other));
    let (_, times) = read_object(b"{}", &mut ValueBuilder).unwrap().unwrap();
    assert_eq!(times, TimeClaims::default());
    assert!(read_object(b"[1]", &mut ValueBuilder).unwrap().is_none());
    assert!(read_object(b"[1", &mut ValueBuilder).is_err());
    assert!(read_object(b"{\"a\":1} 1", &mut ValueBuilder).is_err());
}

/// Any JSON value, as serde_json writes it.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(("\\PC{0,8}", inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn reads_back_what_serde_json_writes(value in any_json()) {
        let compact = serde_json::to_vec(&value).unwrap();
        prop_assert_eq!(read_value(&compact).unwrap(), value.clone());
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        prop_assert_eq!(read_value(&pretty).unwrap(), value);
    }

    #[test]
    fn agrees_with_serde_json_on_any_bytes(text in prop::collection::vec(any::<u8>(), 0..64)) {
        agree(&text);
    }

    #[test]
    fn agrees_with_serde_json_on_json_like_text(text in "[\\[\\]{}\":,0-9eE.+\\- \\\\u a-fntrl]{0,40}") {
        agree(text.as_bytes());
    }

    #[test]
    fn agrees_on_numbers(text in "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?") {
        agree(text.as_bytes());
    }
}

#[test]
fn next_special_in_every_short_slice_from_everywhere() {
    // Slices up to 40 bytes, plain but for up to two specials (or bytes next to them) anywhere,
    // searched from every position: every block, word and overlap case.
    let naive = |text: &[u8], from: usize| {
        text[from..]
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .map_or(text.len(), |i| from + i)
    };
    for len in 0..=40usize {
        for first in 0..=len {
            for (second, byte) in [(len, 0), (first + 3, b'"'), (len.saturating_sub(1), 0x1F)] {
                for (special, plain) in [(b'"', b'#'), (b'\\', b']'), (0x1F, 0x20), (0, 0xFF)] {
                    let mut text = vec![plain; len];
                    if first < len {
                        text[first] = special;
                    }
                    if second < len {
                        text[second] = byte;
                    }
                    for from in 0..=len {
                        assert_eq!(
                            next_special(&text, from),
                            naive(&text, from),
                            "{text:?} {from}"
                        );
                    }
                }
            }
        }
    }
}

/// The reference for `next_special`: byte by byte.
fn first_special(text: &[u8], from: usize) -> usize {
    text[from..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map_or(text.len(), |i| from + i)
}

proptest! {
    #[test]
    fn next_special_finds_the_first_quote_backslash_or_control(
        text in prop::collection::vec(prop_oneof![
            4 => 0x20u8..0x7f, 1 => Just(b'"'), 1 => Just(b'\\'), 1 => 0u8..0x20, 2 => 0x80u8..=0xff
        ], 0..100),
        from in 0usize..100,
    ) {
        let from = from.min(text.len());
        let expected = first_special(&text, from);
        prop_assert_eq!(next_special(&text, from), expected);
        prop_assert_eq!(super::special::next_special_swar(&text, from), expected);
    }

    #[test]
    fn next_special_finds_rare_specials_anywhere(
        text in prop::collection::vec(prop_oneof![
            60 => 0x20u8..=0xff, 1 => Just(b'"'), 1 => Just(b'\\'), 1 => 0u8..0x20
        ], 0..70),
        from in 0usize..70,
    ) {
        // Long plain runs: the ends of slices, blocks and words are searched too.
        let from = from.min(text.len());
        let expected = first_special(&text, from);
        prop_assert_eq!(next_special(&text, from), expected);
        prop_assert_eq!(super::special::next_special_swar(&text, from), expected);
    }
}

#[test]
fn nests_deeper_counts_brackets_outside_strings() {
    assert!(!nests_deeper(b"", 0));
    assert!(!nests_deeper(b"1", 0));
    assert!(nests_deeper(b"[]", 0));
    assert!(!nests_deeper(b"[]", 1));
    assert!(!nests_deeper(b"[[],{},[{}]]", 3));
    assert!(nests_deeper(b"[[],{},[{}]]", 2));
    assert!(
        !nests_deeper(br#"["[[[[", "{{{{"]"#, 1),
        "brackets in strings"
    );
    assert!(!nests_deeper(br#"["\"[[[[", "\\"]"#, 1), "escaped quotes");
    assert!(
        nests_deeper(br#"["\\", [[]]]"#, 2),
        "an escaped backslash ends no string"
    );
    assert!(
        !nests_deeper(b"]]]]][", 1),
        "closing first does not go negative"
    );
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    assert!(nests_deeper(deep.as_bytes(), 4999));
    assert!(!nests_deeper(deep.as_bytes(), 5000));
}

proptest! {
    #[test]
    fn nests_deeper_finds_the_depth_of_nested_json(depth in 0usize..300, limit in 0usize..600) {
        let text = "{\"a[{\":[".repeat(depth) + "\"]}\"" + &"]}".repeat(depth);
        prop_assert_eq!(nests_deeper(text.as_bytes(), limit), depth * 2 > limit);
        // ... and the reader agrees on where it stops reading.
        prop_assert_eq!(read_value(text.as_bytes()).is_err(), depth * 2 > MAX_DEPTH);
    }
}
