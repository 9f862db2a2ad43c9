//! Notify bodies, event topics and the kind table. The input is a kind table, a NUL byte, and
//! a document: the table is parsed (the built-in one is used when it does not parse), the
//! document read as a Notify (from an envelope or bare), every element's text resolved as a
//! topic, and every message classified and turned into the client's `Event`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif::events::Event;
use onvif_proto::Message;
use onvif_proto::ops::events::{KindTable, Notify, PullMessagesResponse, Topic, TopicFilter};
use onvif_proto::soap::Envelope;

fuzz_target!(|data: &[u8]| {
    let (table, doc) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&[][..], data),
    };
    let table = String::from_utf8_lossy(table);
    let kinds = match KindTable::parse(&table) {
        Ok(k) => k,
        Err(e) => {
            let _ = e.to_string();
            KindTable::default()
        }
    };
    let mut front = KindTable::default();
    let _ = front.extend_front(&table);

    let Ok(root) = onvif_proto::xml::parse(doc) else {
        return;
    };
    let payload = match Envelope::from_root(root.clone()) {
        Ok(env) => env.body.first_child().cloned(),
        Err(_) => Some(root),
    };
    let Some(payload) = payload else {
        return;
    };
    for el in payload.descendants() {
        let t = Topic::resolve(el, el.text());
        let _ = (t.display_path(), t.is_onvif("VideoSource/MotionAlarm"));
        let _ = TopicFilter::concrete_set(el.text()).matches(&t);
    }
    let messages = match (Notify::read(&payload), PullMessagesResponse::read(&payload)) {
        (Ok(n), _) => n.messages,
        (_, Ok(p)) => p.messages,
        _ => return,
    };
    for m in messages {
        let _ = kinds.classify(&m);
        let _ = front.classify(&m);
        let e = Event::from_message(m, &kinds);
        let _ = serde_json::to_string(&e);
    }
});
