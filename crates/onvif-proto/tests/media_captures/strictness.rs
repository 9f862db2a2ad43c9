//! Schema order, strictness, leniency, constants

use super::*;

/// The local names of an element's children, in order.
fn child_names(el: &Element) -> Vec<&str> {
    el.children.iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn set_imaging_settings_writes_the_schema_order() {
    let req = SetImagingSettings {
        video_source_token: "vs".into(),
        settings: full_settings(),
        force_persistence: Some(true),
    };
    let env = soap::envelope(None, &req.body());
    let parsed = Envelope::parse(env.as_bytes()).unwrap();
    let el = parsed.payload().unwrap();
    assert_eq!(
        child_names(el),
        ["VideoSourceToken", "ImagingSettings", "ForcePersistence"]
    );
    let s = el.child(ns::TIMG, "ImagingSettings").unwrap();
    assert_eq!(
        child_names(s),
        [
            "BacklightCompensation",
            "Brightness",
            "ColorSaturation",
            "Contrast",
            "Exposure",
            "Focus",
            "IrCutFilter",
            "Sharpness",
            "WideDynamicRange",
            "WhiteBalance",
        ]
    );
    assert!(s.children.iter().all(|c| c.ns.as_deref() == Some(ns::TT)));
    assert_eq!(
        child_names(s.child(ns::TT, "Exposure").unwrap()),
        [
            "Mode",
            "Priority",
            "MinExposureTime",
            "MaxExposureTime",
            "MinGain",
            "MaxGain",
            "MinIris",
            "MaxIris",
            "ExposureTime",
            "Gain",
            "Iris",
        ]
    );
    assert_eq!(
        child_names(s.child(ns::TT, "Focus").unwrap()),
        ["AutoFocusMode", "DefaultSpeed", "NearLimit", "FarLimit"]
    );
    assert_eq!(
        child_names(s.child(ns::TT, "WhiteBalance").unwrap()),
        ["Mode", "CrGain", "CbGain"]
    );
    // Only what is set is sent.
    let partial = SetImagingSettings {
        video_source_token: "vs".into(),
        settings: ImagingSettings {
            sharpness: Some(3.0),
            ir_cut_filter: Some(IrCutFilterMode::Off),
            ..ImagingSettings::default()
        },
        force_persistence: None,
    };
    let body = partial.body();
    assert!(
        body.contains(
            "<timg:ImagingSettings><tt:IrCutFilter>OFF</tt:IrCutFilter><tt:Sharpness>3</tt:Sharpness></timg:ImagingSettings>"
        ),
        "{body}"
    );
    assert!(!body.contains("ForcePersistence"), "{body}");
}

#[test]
fn requests_are_read_strictly_and_answers_leniently() {
    // A request the simulator would act on: a bad number is an error naming the field.
    let bad = "<timg:SetImagingSettings><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
        <timg:ImagingSettings><tt:Brightness>bright</tt:Brightness></timg:ImagingSettings>\
        </timg:SetImagingSettings>";
    let e = read_body::<SetImagingSettings>(bad).unwrap_err();
    assert!(e.to_string().contains("Brightness"), "{e}");
    let bad_mode = "<timg:SetImagingSettings><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
        <timg:ImagingSettings><tt:IrCutFilter>SOMETIMES</tt:IrCutFilter></timg:ImagingSettings>\
        </timg:SetImagingSettings>";
    let e = read_body::<SetImagingSettings>(bad_mode).unwrap_err();
    assert!(e.to_string().contains("IrCutFilter"), "{e}");
    let no_focus = "<timg:Move><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
        <timg:Focus/></timg:Move>";
    assert!(read_body::<Move>(no_focus).is_err());
    let bad_stream = "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Broadcast</tt:Stream>\
        <tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>\
        <trt:ProfileToken>p</trt:ProfileToken></trt:GetStreamUri>";
    let e = read_body::<media::GetStreamUri>(bad_stream).unwrap_err();
    assert!(e.to_string().contains("RTP-Broadcast"), "{e}");

    // The same garbage in a camera's answer reads as "not known".
    let answer = "<timg:GetImagingSettingsResponse><timg:ImagingSettings>\
        <tt:Brightness>bright</tt:Brightness><tt:Contrast> 40 </tt:Contrast>\
        <tt:IrCutFilter>auto</tt:IrCutFilter></timg:ImagingSettings>\
        </timg:GetImagingSettingsResponse>";
    let s = read_body::<ImagingSettingsResponse>(answer)
        .unwrap()
        .settings;
    assert_eq!(s.brightness, None);
    assert_eq!(s.contrast, Some(40.0));
    assert_eq!(s.ir_cut_filter, Some(IrCutFilterMode::Auto));
}

#[test]
fn an_odd_optional_field_never_fails_a_profile() {
    let body = r#"<trt:GetProfilesResponse>
        <trt:Profiles token="p1"><tt:Name>one</tt:Name>
          <tt:VideoEncoderConfiguration token="e1">
            <tt:Name>e</tt:Name><tt:UseCount>many</tt:UseCount><tt:Encoding>h.264</tt:Encoding>
            <tt:Resolution><tt:Width>1920</tt:Width><tt:Height>{{h}}</tt:Height></tt:Resolution>
            <tt:Quality>NaN</tt:Quality>
            <tt:RateControl><tt:FrameRateLimit>25.0</tt:FrameRateLimit>
              <tt:BitrateLimit>4096.0</tt:BitrateLimit></tt:RateControl>
            <tt:H264><tt:GovLength>-</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>
          </tt:VideoEncoderConfiguration>
          <tt:VideoSourceConfiguration><tt:SourceToken>vs</tt:SourceToken>
            <tt:Bounds x="0" y="0" width="wide" height="1080"/></tt:VideoSourceConfiguration>
        </trt:Profiles>
        <trt:Profiles token="p2"/>
      </trt:GetProfilesResponse>"#;
    let p = read_body::<media::Profiles>(body).unwrap().profiles;
    assert_eq!(p.len(), 2);
    let e = p[0].video_encoder.as_ref().unwrap();
    assert_eq!(e.encoding, Some(VideoEncoding::H264));
    assert_eq!(e.use_count, None);
    assert_eq!(e.resolution, None);
    assert_eq!(e.quality, None);
    assert_eq!(e.frame_rate_limit, Some(25.0));
    assert_eq!(e.bitrate_limit, Some(4096));
    assert_eq!(e.gov_length, None);
    assert_eq!(e.profile.as_deref(), Some("Main"));
    let vs = p[0].video_source.as_ref().unwrap();
    assert_eq!(vs.token, "");
    assert_eq!(vs.source_token.as_deref(), Some("vs"));
    assert_eq!(vs.bounds, None);
    assert_eq!(p[1].name, "");
    assert!(p[1].video_encoder.is_none());

    // The token is what a profile is used by: without it the answer is refused, by name.
    let e = read_body::<media::Profiles>(
        "<trt:GetProfilesResponse><trt:Profiles><tt:Name>x</tt:Name></trt:Profiles></trt:GetProfilesResponse>",
    )
    .unwrap_err();
    assert!(e.to_string().contains("token"), "{e}");
    let e = read_body::<media2::Profiles>(
        r#"<tr2:GetProfilesResponse><tr2:Profiles token=" "/></tr2:GetProfilesResponse>"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("token"), "{e}");
}

#[test]
fn encodings_of_both_services_read_to_one_value() {
    for (text, enc) in [
        ("H264", VideoEncoding::H264),
        ("h.264", VideoEncoding::H264),
        ("H265", VideoEncoding::H265),
        ("HEVC", VideoEncoding::H265),
        ("JPEG", VideoEncoding::Jpeg),
        ("MPEG4", VideoEncoding::Mpeg4),
        ("MPV4-ES", VideoEncoding::Mpeg4),
        ("SVAC", VideoEncoding::Other("SVAC".into())),
    ] {
        assert_eq!(VideoEncoding::parse(text), enc, "{text}");
    }
    assert_eq!(VideoEncoding::Mpeg4.media1_name(), "MPEG4");
    assert_eq!(VideoEncoding::Mpeg4.media2_name(), "MPV4-ES");
    assert_eq!(
        serde_json::to_value(VideoEncoding::Jpeg).unwrap(),
        serde_json::json!("JPEG")
    );
}

#[test]
fn operations_carry_their_service_and_action() {
    assert_eq!(
        media::GetProfiles::ACTION,
        "http://www.onvif.org/ver10/media/wsdl/GetProfiles"
    );
    assert_eq!(
        media2::GetStreamUri::ACTION,
        "http://www.onvif.org/ver20/media/wsdl/GetStreamUri"
    );
    assert_eq!(
        SetImagingSettings::ACTION,
        "http://www.onvif.org/ver20/imaging/wsdl/SetImagingSettings"
    );
    assert_eq!(media::GetSnapshotUri::SERVICE, onvif_proto::Service::Media);
    assert_eq!(media2::GetProfiles::SERVICE, onvif_proto::Service::Media2);
    assert_eq!(Move::SERVICE, onvif_proto::Service::Imaging);
    const { assert!(!Move::IDEMPOTENT) };
    const { assert!(SetImagingSettings::IDEMPOTENT) };
    // Each action's namespace is its service's.
    for (action, service) in [
        (
            media::GetVideoEncoderConfigurationOptions::ACTION,
            onvif_proto::Service::Media,
        ),
        (
            media2::GetVideoEncoderConfigurationOptions::ACTION,
            onvif_proto::Service::Media2,
        ),
        (GetMoveOptions::ACTION, onvif_proto::Service::Imaging),
        (
            imaging::GetServiceCapabilities::ACTION,
            onvif_proto::Service::Imaging,
        ),
    ] {
        assert!(action.starts_with(service.namespace()), "{action}");
    }
}
