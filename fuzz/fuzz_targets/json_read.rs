//! The core's JSON reader must accept exactly what serde_json accepts, reading the same values
//! (numbers of the same kind, -0.0 kept), and never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onlyoffice_plone_core::json_read::{read_object, read_value, Number, Scalar, ValueBuilder};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let ours = read_value(data);
    let theirs = serde_json::from_slice::<Value>(data);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            // Equal text too: tells -0.0 from 0.0.
            assert_eq!(a.to_string(), b.to_string());
        }
        (Err(_), Err(_)) => {}
        _ => panic!("disagree: ours {ours:?}, serde_json {theirs:?}"),
    }
    // The object reader reads the same, and reports the top-level exp as it is.
    let object = read_object(data, &mut ValueBuilder).ok().flatten();
    match (&object, &theirs) {
        (Some((value, times)), Ok(Value::Object(map))) => {
            assert_eq!(value, &Value::Object(map.clone()));
            let exp = map.get("exp");
            match times.exp {
                Scalar::Absent => assert!(exp.is_none()),
                Scalar::Null => assert_eq!(exp, Some(&Value::Null)),
                Scalar::Number(Number::U64(n)) => assert_eq!(exp.and_then(Value::as_u64), Some(n)),
                Scalar::Number(Number::I64(n)) => assert_eq!(exp.and_then(Value::as_i64), Some(n)),
                Scalar::Number(Number::F64(_)) => assert!(exp.is_some_and(Value::is_f64)),
                // A duplicate may end as any value; a string, array or object is "other".
                Scalar::Duplicate => assert!(exp.is_some()),
                Scalar::Other => assert!(exp.is_some_and(|v| !v.is_number() && !v.is_null())),
            }
        }
        (None, Ok(Value::Object(_))) => panic!("an object serde_json reads is refused"),
        (Some(_), _) => panic!("read an object serde_json does not"),
        _ => {}
    }
});
