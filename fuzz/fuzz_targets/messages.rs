//! Every typed message reader: the first byte picks a reader from the decoder table, the rest
//! is a document whose payload (the Body's first child, or the root when it is no envelope)
//! is renamed to what that reader expects, so that any seed feeds any reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onvif_proto::decode::DECODERS;
use onvif_proto::soap::Envelope;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    let d = &DECODERS[usize::from(pick) % DECODERS.len()];
    let Ok(root) = onvif_proto::xml::parse(doc) else {
        return;
    };
    let mut el = match Envelope::from_root(root.clone()) {
        Ok(env) => match env.body.first_child() {
            Some(first) => first.clone(),
            None => return,
        },
        Err(_) => root,
    };
    // As the table would find it.
    let _ = (d.decode)(&el);
    el.ns = Some(d.ns.into());
    el.name = d.name.to_owned();
    let _ = (d.decode)(&el);
});
