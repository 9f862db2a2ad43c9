//! Messages written and read back as the client and the simulator do: `Message::write` inside
//! `soap::envelope`, then `Envelope::parse` and `Message::read`.

use std::any::type_name;
use std::fmt::Debug;

use onvif_proto::soap::{Envelope, SoapVersion, envelope};
use onvif_proto::xml::Writer;
use onvif_proto::{Error, Message};

/// `m` written as its element alone.
pub fn write<M: Message>(m: &M) -> String {
    let mut w = Writer::new();
    m.write(&mut w);
    w.finish()
}

/// What [`round_trip`] wrote and read.
#[derive(Debug)]
pub struct RoundTrip<M> {
    /// The SOAP 1.2 envelope around the written message.
    pub document: String,
    /// The message read back from it (equal to the one written).
    pub back: M,
}

/// Write `m` in a SOAP 1.2 envelope, parse it, read it back and check it is equal; any
/// failure names the type and shows the document.
#[track_caller]
pub fn round_trip<M: Message + PartialEq + Debug>(m: &M) -> RoundTrip<M> {
    let document = envelope(None, &write(m));
    let env = Envelope::parse(document.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{document}"));
    assert_eq!(env.version, SoapVersion::Soap12, "{document}");
    let payload = env
        .payload()
        .unwrap_or_else(|e| panic!("{}: {e}\n{document}", type_name::<M>()));
    let back = M::read(payload).unwrap_or_else(|e| panic!("{}: {e}\n{document}", type_name::<M>()));
    assert_eq!(
        &back,
        m,
        "round trip of {}: changed by write + read:\n{document}",
        type_name::<M>()
    );
    RoundTrip { document, back }
}

/// Read `bytes` (a whole SOAP envelope, as a camera sends it) as `M`, as the client reads an
/// answer.
pub fn read_document<M: Message>(bytes: &[u8]) -> Result<M, Error> {
    let env = Envelope::parse(bytes)?;
    M::read(env.payload()?)
}

/// Read `body` (one element, free to use the prefixes `soap::envelope` declares) as `M`.
pub fn read_body<M: Message>(body: &str) -> Result<M, Error> {
    let doc = envelope(None, body);
    let env = Envelope::parse(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{doc}"));
    M::read(env.payload().unwrap_or_else(|e| panic!("{e}\n{doc}")))
}

/// A `tt:DateTime` of these fields (year, month, day, hour, minute, second).
pub fn date_time(
    year: i32,
    month: i32,
    day: i32,
    hour: i32,
    minute: i32,
    second: i32,
) -> onvif_proto::ops::device::DateTime {
    onvif_proto::ops::device::DateTime {
        hour,
        minute,
        second,
        year,
        month,
        day,
    }
}
