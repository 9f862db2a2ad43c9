//! Every capture of these services

use super::*;

type Reader = fn(&Element) -> Result<String, Error>;

fn typed<M: Message + serde::Serialize>(el: &Element) -> Result<String, Error> {
    M::read(el).map(|v| serde_json::to_string(&v).unwrap())
}

/// The responses this library types, by namespace and name.
const TYPED: &[(&str, &str, Reader)] = &[
    (ns::TRT, "GetProfilesResponse", typed::<media::Profiles>),
    (ns::TRT, "GetProfileResponse", typed::<media::Profile>),
    (ns::TRT, "GetStreamUriResponse", typed::<media::StreamUri>),
    (
        ns::TRT,
        "GetSnapshotUriResponse",
        typed::<media::SnapshotUri>,
    ),
    (
        ns::TRT,
        "GetVideoSourcesResponse",
        typed::<media::VideoSources>,
    ),
    (
        ns::TRT,
        "GetVideoSourceConfigurationsResponse",
        typed::<media::VideoSourceConfigurations>,
    ),
    (
        ns::TRT,
        "GetVideoEncoderConfigurationsResponse",
        typed::<media::VideoEncoderConfigurations>,
    ),
    (
        ns::TRT,
        "GetVideoEncoderConfigurationResponse",
        typed::<media::VideoEncoderConfiguration>,
    ),
    (
        ns::TRT,
        "GetVideoEncoderConfigurationOptionsResponse",
        typed::<media::VideoEncoderConfigurationOptions>,
    ),
    (
        ns::TRT,
        "StartMulticastStreamingResponse",
        typed::<media::StartMulticastStreamingResponse>,
    ),
    (
        ns::TRT,
        "StopMulticastStreamingResponse",
        typed::<media::StopMulticastStreamingResponse>,
    ),
    (
        ns::TRT,
        "SetVideoEncoderConfigurationResponse",
        typed::<media::SetVideoEncoderConfigurationResponse>,
    ),
    (
        ns::TRT,
        "GetAudioSourcesResponse",
        typed::<media::AudioSources>,
    ),
    (
        ns::TRT,
        "GetMetadataConfigurationsResponse",
        typed::<media::MetadataConfigurations>,
    ),
    (
        ns::TRT,
        "GetMetadataConfigurationResponse",
        typed::<media::MetadataConfiguration>,
    ),
    (
        ns::TRT,
        "GetServiceCapabilitiesResponse",
        typed::<media::ServiceCapabilities>,
    ),
    (ns::TR2, "GetProfilesResponse", typed::<media2::Profiles>),
    (ns::TR2, "GetStreamUriResponse", typed::<media2::StreamUri>),
    (
        ns::TR2,
        "GetSnapshotUriResponse",
        typed::<media2::SnapshotUri>,
    ),
    (
        ns::TR2,
        "GetVideoEncoderConfigurationsResponse",
        typed::<media2::VideoEncoderConfigurations>,
    ),
    (
        ns::TR2,
        "GetVideoSourceConfigurationsResponse",
        typed::<media2::VideoSourceConfigurations>,
    ),
    (
        ns::TR2,
        "GetVideoEncoderConfigurationOptionsResponse",
        typed::<media2::VideoEncoderConfigurationOptions>,
    ),
    (
        ns::TR2,
        "StartMulticastStreamingResponse",
        typed::<media2::StartMulticastStreamingResponse>,
    ),
    (
        ns::TR2,
        "StopMulticastStreamingResponse",
        typed::<media2::StopMulticastStreamingResponse>,
    ),
    (
        ns::TR2,
        "SetVideoEncoderConfigurationResponse",
        typed::<media2::SetVideoEncoderConfigurationResponse>,
    ),
    (
        ns::TR2,
        "GetMetadataConfigurationsResponse",
        typed::<media2::MetadataConfigurations>,
    ),
    (
        ns::TR2,
        "GetServiceCapabilitiesResponse",
        typed::<media2::ServiceCapabilities>,
    ),
    (
        ns::TIMG,
        "GetImagingSettingsResponse",
        typed::<ImagingSettingsResponse>,
    ),
    (
        ns::TIMG,
        "SetImagingSettingsResponse",
        typed::<SetImagingSettingsResponse>,
    ),
    (
        ns::TIMG,
        "GetOptionsResponse",
        typed::<ImagingOptionsResponse>,
    ),
    (
        ns::TIMG,
        "GetMoveOptionsResponse",
        typed::<MoveOptionsResponse>,
    ),
    (
        ns::TIMG,
        "GetServiceCapabilitiesResponse",
        typed::<imaging::ServiceCapabilities>,
    ),
];

/// Requests found among the captures (a client's log saved as a response).
const REQUESTS: &[(&str, &str, Reader)] =
    &[(ns::TRT, "GetStreamUri", typed::<media::GetStreamUri>)];

/// Media and imaging answers in the captures that this library does not type (yet): audio
/// encoders, configuration options other than the video encoder's, OSD, profile editing and
/// imaging presets. They are listed so that a new kind of
/// capture is noticed.
const NOT_TYPED: &[&str] = &[
    "GetAudioEncoderConfigurationResponse",
    "GetAudioEncoderConfigurationsResponse",
    "GetAudioEncoderConfigurationOptionsResponse",
    "SetAudioEncoderConfigurationResponse",
    "AddAudioEncoderConfigurationResponse",
    "AddAudioSourceConfigurationResponse",
    "RemoveAudioEncoderConfigurationResponse",
    "RemoveAudioSourceConfigurationResponse",
    "AddVideoEncoderConfigurationResponse",
    "AddVideoSourceConfigurationResponse",
    "GetVideoSourceConfigurationOptionsResponse",
    "GetMetadataConfigurationOptionsResponse",
    "CreateProfileResponse",
    "DeleteProfileResponse",
    "GetOSDsResponse",
    "GetOSDOptionsResponse",
    "CreateOSDResponse",
    "DeleteOSDResponse",
    "SetOSDResponse",
    "GetCurrentPresetResponse",
];

/// Is this capture one of the media or imaging services' (by folder or file name)?
fn media_path(file: &str) -> bool {
    [
        "/media1/",
        "/media2/",
        "/imaging/",
        "agsh-onvif/media.",
        "agsh-onvif/imaging.",
    ]
    .iter()
    .any(|p| file.contains(p))
}

fn media_ns(ns: Option<&str>) -> bool {
    matches!(ns, Some(n) if n == ns::TRT || n == ns::TR2 || n == ns::TIMG)
}

#[test]
fn every_media_and_imaging_capture_reads_into_typed_values() {
    let Some(root) = captures_dir() else {
        return;
    };
    let mut typed_ok = Vec::new();
    let mut clear_errors = Vec::new();
    let mut not_typed = Vec::new();
    let mut other = Vec::new();
    let mut failures = Vec::new();
    for row in captures::index(&root) {
        let file = row.file.as_str();
        let broken = row.well_formed.starts_with("NO");
        let bytes = captures::read(&root, file);
        let templated = String::from_utf8_lossy(&bytes).contains("{{");
        let env = match Envelope::parse(&bytes) {
            Ok(env) => env,
            Err(e) => {
                if media_path(file) {
                    if broken {
                        clear_errors.push(format!("{file}: {e}"));
                    } else {
                        failures.push(format!("{file}: well-formed, but: {e}"));
                    }
                }
                continue;
            }
        };
        let Some(first) = env.body.first_child() else {
            continue;
        };
        // Ours by namespace, or (with an unbound prefix) by where the file is.
        let ours = media_ns(first.ns.as_deref()) || (first.unbound && media_path(file));
        if !ours {
            if media_path(file) {
                other.push(format!("{file}: {{{:?}}}{}", first.ns, first.name));
            }
            continue;
        }
        if env.fault().is_some() {
            other.push(format!("{file}: a Fault"));
            continue;
        }
        if let Some((_, _, read)) = REQUESTS.iter().find(|(n, name, _)| first.is(n, name)) {
            match read(first) {
                Ok(_) => typed_ok.push(format!("{file}: {} (a request)", first.name)),
                Err(e) => failures.push(format!("{file}: {e}")),
            }
            continue;
        }
        let Some((_, _, read)) = TYPED.iter().find(|(n, name, _)| first.is(n, name)) else {
            if NOT_TYPED.contains(&first.name.as_str()) {
                not_typed.push(format!("{file}: {}", first.name));
            } else {
                failures.push(format!(
                    "{file}: {} is neither typed nor listed",
                    first.name
                ));
            }
            continue;
        };
        match read(first) {
            Ok(json) => {
                // The decoder registry must know it too, and give the same value.
                let d = decode::decode(&bytes).unwrap();
                let json: serde_json::Value = serde_json::from_str(&json).unwrap();
                if d.kind != "typed" && first.unbound && broken {
                    // No namespace: the decoder will not guess the service of a name that
                    // several services answer with.
                    clear_errors.push(format!(
                        "{file}: unbound prefix on {}, decode() shows it generic",
                        first.name
                    ));
                    continue;
                }
                if d.kind != "typed" {
                    failures.push(format!(
                        "{file}: decode() says {} ({:?})",
                        d.kind, d.typed_error
                    ));
                } else if d.data.as_ref() != Some(&json) {
                    failures.push(format!("{file}: decode() read another value"));
                }
                typed_ok.push(format!("{file}: {}", first.name));
            }
            Err(e) if broken || templated => clear_errors.push(format!("{file}: {e}")),
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    eprintln!("typed ({}):", typed_ok.len());
    for t in &typed_ok {
        eprintln!("  {t}");
    }
    eprintln!("refused with a clear error ({}):", clear_errors.len());
    for t in &clear_errors {
        eprintln!("  {t}");
    }
    eprintln!("not typed by this library ({}):", not_typed.len());
    for t in &not_typed {
        eprintln!("  {t}");
    }
    eprintln!(
        "in a media folder, but another service's answer ({}):",
        other.len()
    );
    for t in &other {
        eprintln!("  {t}");
    }
    assert!(
        failures.is_empty(),
        "{} capture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(typed_ok.len() > 60, "only {} typed", typed_ok.len());
}
