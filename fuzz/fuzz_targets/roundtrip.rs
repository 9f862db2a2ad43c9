//! Round trip: any message that reads must write and read back to the same value (compared
//! as JSON; where the first reading had nothing, the writer may put the schema's default of a
//! required element, and from then on the value must stay exactly the same). The reader is
//! picked from the decoder table as `pick.rs` says, and the check is the table's own
//! `round_trip`, so every type the library reads is covered as soon as it is in the table.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::soap::Envelope;
use serde_json::Value;

mod pick;

/// `b` says everything `a` says: equal, except where `a` has nothing (an absent or null
/// field, which the writer may fill with the schema's default when the element is required).
fn says_all_of(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, _) => true,
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).map_or(v.is_null(), |w| says_all_of(v, w))),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| says_all_of(v, w))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(p) = pick::pick(data) else {
        return;
    };
    let round_trip = p.decoder.round_trip;
    let Ok(trip) = round_trip(&p.payload) else {
        return;
    };
    let doc = &trip.written;
    let again = match trip.again {
        Ok(again) => again,
        Err(e) => panic!("what we wrote does not read back: {e}\n{doc}"),
    };
    assert!(
        says_all_of(&trip.first, &again),
        "changed when written and read back:\n{doc}\nread first: {}\nread back: {again}",
        trip.first
    );
    // What we wrote once comes back exactly.
    let env = Envelope::parse(doc.as_bytes()).expect("what we wrote parses");
    let second = round_trip(env.payload().expect("our envelope has a payload"))
        .unwrap_or_else(|e| panic!("what we wrote does not read: {e}\n{doc}"));
    let doc = &second.written;
    match second.again {
        Ok(third) => assert_eq!(again, third, "changed when written a second time:\n{doc}"),
        Err(e) => panic!("what we wrote a second time does not read back: {e}\n{doc}"),
    }
});
