//! Answers real cameras send that the first readers lost or misread: IPv6 addresses from
//! router advertisements, Media2 URIs that say nothing of their lifetime, a declared Latin-1
//! encoding, MTOM answers. Nothing here opens a socket.
#![allow(clippy::unwrap_used)]

use onvif_proto::Message;
use onvif_proto::decode::decode;
use onvif_proto::ops::device::NetworkInterfaces;
use onvif_proto::soap::Envelope;

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
    let env = Envelope::parse(doc.as_bytes()).unwrap();
    let n = NetworkInterfaces::read(env.payload().unwrap()).unwrap();
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
