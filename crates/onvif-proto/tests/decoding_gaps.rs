//! Answers real cameras send that the first readers lost or misread: IPv6 addresses from
//! router advertisements, Media2 URIs that say nothing of their lifetime, a declared Latin-1
//! encoding, MTOM answers. Nothing here opens a socket.
#![allow(clippy::unwrap_used)]

use onvif_proto::decode::decode;
use onvif_proto::ops::device::NetworkInterfaces;
use onvif_testkit::message::read_document;

const ENV: &str = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tr2="http://www.onvif.org/ver20/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body>"#;
const END: &str = "</s:Body></s:Envelope>";

#[test]
fn ipv6_addresses_from_router_advertisements_are_kept() {
    let doc = format!(
        "{ENV}<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token=\"eth0\"><tt:Enabled>true</tt:Enabled>\
         <tt:IPv6><tt:Enabled>true</tt:Enabled><tt:Config><tt:AcceptRouterAdvert>true</tt:AcceptRouterAdvert><tt:DHCP>Off</tt:DHCP>\
         <tt:LinkLocal><tt:Address>fe80::1</tt:Address><tt:PrefixLength>64</tt:PrefixLength></tt:LinkLocal>\
         <tt:FromRA><tt:Address>2001:db8::1</tt:Address><tt:PrefixLength>64</tt:PrefixLength></tt:FromRA>\
         </tt:Config></tt:IPv6></tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>{END}"
    );
    let n: NetworkInterfaces = read_document(doc.as_bytes()).unwrap();
    let v6 = n.interfaces[0].ipv6.as_ref().unwrap();
    assert_eq!(v6.from_ra.len(), 1);
    assert_eq!(v6.from_ra[0].address, "2001:db8::1");
    assert_eq!(v6.accept_router_advert, Some(true));
    let json = serde_json::to_value(&n).unwrap();
    assert_eq!(
        json["interfaces"][0]["ipv6"]["from_ra"][0]["address"],
        "2001:db8::1"
    );
}

#[test]
fn media2_uris_say_nothing_they_were_not_told() {
    for op in ["GetStreamUriResponse", "GetSnapshotUriResponse"] {
        let doc = format!("{ENV}<tr2:{op}><tr2:Uri>rtsp://cam/1</tr2:Uri></tr2:{op}>{END}");
        let d = decode(doc.as_bytes()).unwrap();
        assert_eq!(d.kind, "typed", "{op}");
        let data = d.data.unwrap();
        let text = data.to_string();
        assert!(!text.contains("invalid_after"), "{op}: {text}");
        assert!(text.contains("rtsp://cam/1"), "{op}: {text}");
    }
}

#[test]
fn a_declared_latin1_answer_decodes_its_accents() {
    let mut doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_vec();
    doc.extend_from_slice(ENV.as_bytes());
    doc.extend_from_slice(b"<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>cam\xe9ra</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>");
    doc.extend_from_slice(END.as_bytes());
    let d = decode(&doc).unwrap();
    assert_eq!(d.data.unwrap()["name"], "caméra");
}

#[test]
fn an_mtom_answer_decodes_its_envelope_and_names_its_attachment() {
    let doc = format!(
        "\r\n--uuid:7\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\nContent-ID: <root>\r\n\r\n\
         {ENV}<tds:GetSystemLogResponse><tds:SystemLog><tt:Binary><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:syslog\"/></tt:Binary></tds:SystemLog></tds:GetSystemLogResponse>{END}\r\n\
         --uuid:7\r\nContent-Type: text/plain\r\nContent-ID: <syslog>\r\n\r\nboot ok\r\n--uuid:7--\r\n"
    );
    let d = decode(doc.as_bytes()).unwrap();
    assert_eq!(d.operation, "GetSystemLogResponse");
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(
        json["attachments"],
        serde_json::json!([{
            "content_id": "syslog",
            "content_type": "text/plain",
            "size": 7,
            "referenced_by": "Binary"
        }])
    );
}

#[test]
fn nested_and_hostile_multipart_bodies_end_in_an_answer_or_an_error() {
    // Each part's body looks like another multipart body: split once, then read as XML.
    let mut doc = String::new();
    for i in 0..20_000 {
        doc.push_str(&format!("--b{i}x\nA: b\n\n"));
    }
    assert!(decode(doc.as_bytes()).is_err());
    // A boundary longer than any sender uses is refused, not searched for.
    let long = "b".repeat(5000);
    let ct = format!("multipart/related; boundary={long}");
    let e = onvif_proto::mime::split(b"--x", Some(&ct)).unwrap_err();
    assert!(e.to_string().contains("boundary is 5000 bytes"), "{e}");
}

#[test]
fn a_topic_step_with_an_undeclared_prefix_is_not_taken_for_the_namespace_before_it() {
    use onvif_proto::ops::events::{Topic, effective_ns};
    let el = onvif_proto::xml::parse(
        br#"<t xmlns:tns1="http://www.onvif.org/ver10/topics" Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">x</t>"#,
    )
    .unwrap();
    let t = Topic::resolve(&el, "tns1:Device/Trigger/tnshik:AlarmIn");
    assert!(t.steps[2].unbound);
    assert_eq!(
        effective_ns(&t.steps, 1),
        Some("http://www.onvif.org/ver10/topics")
    );
    assert_eq!(effective_ns(&t.steps, 2), None);
    assert_ne!(t, Topic::onvif("Device/Trigger/AlarmIn"));
    // Written with or without a repeated prefix, an ONVIF topic is the same topic.
    assert_eq!(
        Topic::resolve(&el, "tns1:Device/tns1:Trigger/tns1:DigitalInput"),
        Topic::onvif("Device/Trigger/DigitalInput")
    );
}
