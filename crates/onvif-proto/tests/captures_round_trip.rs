//! Every capture a library type reads goes through that type's generated write and is read
//! back to the same value: the codec's read and write agree on real cameras' answers, for every
//! type a capture exercises. Nothing here opens a socket.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use onvif_proto::decode::{DECODERS, decoder_for};
use onvif_proto::soap::Envelope;
use onvif_testkit::captures::{captures_dir, files, read};

#[test]
fn every_typed_capture_reads_back_what_it_writes() {
    let Some(dir) = captures_dir() else {
        return;
    };
    let mut typed = 0;
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for file in files(&dir) {
        let bytes = read(&dir, &file);
        let Ok(env) = Envelope::parse(&bytes) else {
            continue;
        };
        let Ok(payload) = env.payload() else {
            continue;
        };
        let Some(decoder) = decoder_for(payload) else {
            continue;
        };
        // Only answers the type reads count (the rest are decode's generic view).
        let Ok(trip) = (decoder.round_trip)(payload) else {
            continue;
        };
        typed += 1;
        covered.insert((decoder.ns, decoder.name));
        match trip.again {
            Ok(again) if again == trip.first => {}
            Ok(again) => failures.push(format!("{file}: {}\n  read back as {again}", trip.first)),
            Err(e) => failures.push(format!("{file}: what it wrote does not read back: {e}")),
        }
    }
    eprintln!(
        "{typed} captures read as {} of the {} response types, each read back the same",
        covered.len(),
        DECODERS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(typed > 300, "only {typed} captures were read as their type");
    // The captures exercise most response types; the rest are covered by each service's own
    // round-trip tests (ops/<service>/tests.rs) with values made up to set every field.
    assert!(
        covered.len() * 2 > DECODERS.len(),
        "captures cover {} of {} response types",
        covered.len(),
        DECODERS.len()
    );
}
