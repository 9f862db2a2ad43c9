//! The input of `messages` and `roundtrip`: one byte that picks a reader of
//! `decode::DECODERS`, then a document whose payload (the Body's first child, or the root
//! when it is no envelope) is read by it.
//!
//! Byte 0 means "the reader the payload names" (as `onvif decode` would find it), so seeds
//! and regression inputs stay valid when the table grows. Any other byte `n` picks entry
//! `n - 1` (modulo the table's length) and renames the payload to what that reader expects,
//! so that any seed feeds any reader.

use onvif_proto::decode::{DECODERS, Decoder, decoder_for};
use onvif_proto::soap::Envelope;
use onvif_proto::xml::Element;

/// The reader and the payload as found in the document, and the payload as it is fed.
pub struct Picked {
    pub decoder: &'static Decoder,
    /// `messages` reads it; `roundtrip` does not.
    #[allow(dead_code)]
    pub found: Element,
    pub payload: Element,
}

pub fn pick(data: &[u8]) -> Option<Picked> {
    let (&byte, doc) = data.split_first()?;
    let root = onvif_proto::xml::parse(doc).ok()?;
    let found = match Envelope::from_root(root.clone()) {
        Ok(env) => env.body.first_child()?.clone(),
        Err(_) => root,
    };
    let decoder = match byte {
        0 => decoder_for(&found)?,
        n => &DECODERS[usize::from(n - 1) % DECODERS.len()],
    };
    let mut payload = found.clone();
    payload.ns = Some(decoder.ns.into());
    payload.name = decoder.name.to_owned();
    Some(Picked {
        decoder,
        found,
        payload,
    })
}
