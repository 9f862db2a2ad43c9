//! Round trips of every imaging message (write, read back, compare), and the strict reading of
//! requests next to the lenient reading of answers.

use std::collections::BTreeSet;
use std::fmt::Debug;

use super::*;
use crate::ops::device;
use crate::ops::message::{Message, Operation};
use crate::ops::range::FloatRange;
use crate::soap::{self, Envelope};

/// Write `m` into an envelope, parse it, check the element is `M::ELEMENT`, read it back and
/// compare; the element's local name is added to `seen`.
pub(crate) fn round_trip<M: Message + PartialEq + Debug>(m: &M, seen: &mut BTreeSet<String>) {
    let mut w = Writer::new();
    m.write(&mut w);
    let body = w.finish();
    let doc = soap::envelope(None, &body);
    let env = Envelope::parse(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{body}"));
    let el = env.payload().expect("a payload");
    assert!(el.is(M::ELEMENT.ns, M::ELEMENT.name), "{body}");
    let back = M::read(el).unwrap_or_else(|e| panic!("{e}\n{body}"));
    assert_eq!(&back, m, "{body}");
    seen.insert(M::ELEMENT.name.to_owned());
}

/// Read `body` (in an envelope) as `M`.
pub(crate) fn read<M: Message>(body: &str) -> Result<M, Error> {
    let doc = soap::envelope(None, body);
    let env = Envelope::parse(doc.as_bytes()).expect("the test's XML parses");
    M::read(env.payload().expect("a payload"))
}

fn range(min: f64, max: f64) -> Option<FloatRange> {
    Some(FloatRange { min, max })
}

fn settings() -> ImagingSettings {
    ImagingSettings {
        backlight_compensation: Some(BacklightCompensation {
            mode: Some(OnOff::On),
            level: Some(12.5),
        }),
        brightness: Some(55.0),
        color_saturation: Some(40.25),
        contrast: Some(61.0),
        exposure: Some(Exposure {
            mode: Some(AutoManual::Manual),
            priority: Some(ExposurePriority::FrameRate),
            min_exposure_time: Some(20.0),
            max_exposure_time: Some(33000.0),
            min_gain: Some(1.0),
            max_gain: Some(48.0),
            min_iris: Some(-20.0),
            max_iris: Some(0.0),
            exposure_time: Some(8000.0),
            gain: Some(6.0),
            iris: Some(-3.5),
        }),
        focus: Some(FocusConfiguration {
            auto_focus_mode: Some(AutoManual::Auto),
            default_speed: Some(0.5),
            near_limit: Some(0.3),
            far_limit: Some(0.0),
        }),
        ir_cut_filter: Some(IrCutFilterMode::Off),
        sharpness: Some(7.0),
        wide_dynamic_range: Some(WideDynamicRange {
            mode: Some(OnOff::On),
            level: Some(75.0),
        }),
        white_balance: Some(WhiteBalance {
            mode: Some(AutoManual::Manual),
            cr_gain: Some(128.0),
            cb_gain: Some(96.5),
        }),
    }
}

fn options() -> ImagingOptions {
    ImagingOptions {
        backlight_compensation: Some(BacklightCompensationOptions {
            modes: vec![OnOff::Off, OnOff::On],
            level: range(0.0, 100.0),
        }),
        brightness: range(0.0, 100.0),
        color_saturation: range(0.0, 100.0),
        contrast: range(0.0, 100.0),
        exposure: Some(ExposureOptions {
            modes: vec![AutoManual::Auto, AutoManual::Manual],
            priorities: vec![ExposurePriority::LowNoise],
            min_exposure_time: range(10.0, 1000.0),
            max_exposure_time: range(1000.0, 40000.0),
            min_gain: range(0.0, 10.0),
            max_gain: range(10.0, 60.0),
            min_iris: range(-22.0, -10.0),
            max_iris: range(-10.0, 0.0),
            exposure_time: range(10.0, 40000.0),
            gain: range(0.0, 60.0),
            iris: range(-22.0, 0.0),
        }),
        focus: Some(FocusOptions {
            auto_focus_modes: vec![AutoManual::Manual],
            default_speed: range(0.1, 1.0),
            near_limit: range(0.2, 2.0),
            far_limit: range(0.0, 10.0),
        }),
        ir_cut_filter_modes: vec![IrCutFilterMode::Auto, IrCutFilterMode::On],
        sharpness: range(0.0, 15.0),
        wide_dynamic_range: Some(WideDynamicRangeOptions {
            modes: vec![OnOff::On],
            level: range(0.0, 100.0),
        }),
        white_balance: Some(WhiteBalanceOptions {
            modes: vec![AutoManual::Auto, AutoManual::Manual],
            yr_gain: range(0.0, 255.0),
            yb_gain: range(0.0, 255.0),
        }),
    }
}

#[test]
fn every_imaging_message_round_trips() {
    let seen = &mut BTreeSet::new();
    let token = || "VideoSource_2".to_owned();
    round_trip(
        &GetImagingSettings {
            video_source_token: token(),
        },
        seen,
    );
    round_trip(
        &ImagingSettingsResponse {
            settings: settings(),
        },
        seen,
    );
    for force_persistence in [Some(true), Some(false), None] {
        round_trip(
            &SetImagingSettings {
                video_source_token: token(),
                settings: settings(),
                force_persistence,
            },
            seen,
        );
    }
    round_trip(&SetImagingSettingsResponse, seen);
    round_trip(
        &GetOptions {
            video_source_token: token(),
        },
        seen,
    );
    round_trip(&ImagingOptionsResponse { options: options() }, seen);
    round_trip(
        &GetMoveOptions {
            video_source_token: token(),
        },
        seen,
    );
    round_trip(
        &MoveOptionsResponse {
            options: MoveOptions {
                absolute: Some(AbsoluteFocusOptions {
                    position: range(0.0, 1.0),
                    speed: range(0.1, 1.0),
                }),
                relative: Some(RelativeFocusOptions {
                    distance: range(-0.5, 0.5),
                    speed: range(0.1, 1.0),
                }),
                continuous: Some(ContinuousFocusOptions {
                    speed: range(-1.0, 1.0),
                }),
            },
        },
        seen,
    );
    for focus in [
        FocusMove::Absolute {
            position: 0.4,
            speed: Some(0.75),
        },
        FocusMove::Relative {
            distance: -0.25,
            speed: Some(0.5),
        },
        FocusMove::Relative {
            distance: 0.125,
            speed: None,
        },
        FocusMove::Continuous { speed: 0.3 },
    ] {
        round_trip(
            &Move {
                video_source_token: token(),
                focus,
            },
            seen,
        );
    }
    round_trip(&MoveResponse, seen);
    round_trip(
        &Stop {
            video_source_token: token(),
        },
        seen,
    );
    round_trip(&StopResponse, seen);
    round_trip(
        &GetStatus {
            video_source_token: token(),
        },
        seen,
    );
    round_trip(
        &StatusResponse {
            focus: Some(FocusStatus {
                position: Some(0.25),
                move_status: Some(MoveStatus::Moving),
                error: Some("motor stalled".into()),
            }),
        },
        seen,
    );
    round_trip(&StatusResponse { focus: None }, seen);
    round_trip(&GetServiceCapabilities, seen);
    round_trip(
        &ServiceCapabilities(device::ServiceCapabilities {
            flags: [("ImageStabilization", "true"), ("Presets", "false")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }),
        seen,
    );
    // Every answer `decode` knows of this service went through the round trip.
    for d in crate::decode::DECODERS.iter().filter(|d| d.ns == TIMG) {
        assert!(seen.contains(d.name), "{} has no round trip", d.name);
    }
    assert_eq!(seen.len(), 16, "{seen:?}");
}

#[test]
fn partial_settings_write_only_what_is_set() {
    let s = ImagingSettings {
        focus: Some(FocusConfiguration {
            near_limit: Some(1.5),
            ..FocusConfiguration::default()
        }),
        sharpness: Some(2.0),
        ..ImagingSettings::default()
    };
    let mut w = Writer::new();
    s.write_node(&mut w, "timg:ImagingSettings");
    assert_eq!(
        w.finish(),
        "<timg:ImagingSettings><tt:Focus><tt:NearLimit>1.5</tt:NearLimit></tt:Focus>\
         <tt:Sharpness>2</tt:Sharpness></timg:ImagingSettings>"
    );
}

#[test]
fn a_request_is_read_strictly_and_an_answer_leniently() {
    let set = |inner: &str| {
        format!(
            "<timg:SetImagingSettings><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
             <timg:ImagingSettings>{inner}</timg:ImagingSettings></timg:SetImagingSettings>"
        )
    };
    let answer = |inner: &str| {
        format!(
            "<timg:GetImagingSettingsResponse><timg:ImagingSettings>{inner}\
             </timg:ImagingSettings></timg:GetImagingSettingsResponse>"
        )
    };
    // A bad value deep in a group: refused by name in a request, dropped in an answer.
    let inner = "<tt:Exposure><tt:Mode>MANUAL</tt:Mode><tt:Gain>loud</tt:Gain></tt:Exposure>\
                 <tt:WhiteBalance><tt:Mode>SOMETIMES</tt:Mode><tt:CrGain>3</tt:CrGain></tt:WhiteBalance>";
    let e = read::<SetImagingSettings>(&set(inner)).expect_err("refused");
    assert!(e.to_string().contains("Gain"), "{e}");
    let s = read::<ImagingSettingsResponse>(&answer(inner))
        .expect("an answer reads")
        .settings;
    let exposure = s.exposure.expect("exposure");
    assert_eq!(exposure.mode, Some(AutoManual::Manual));
    assert_eq!(exposure.gain, None);
    let wb = s.white_balance.expect("white balance");
    assert_eq!((wb.mode, wb.cr_gain), (None, Some(3.0)));
    // Good values read the same both ways.
    let good = "<tt:Brightness> 20.5 </tt:Brightness><tt:IrCutFilter>auto</tt:IrCutFilter>";
    let req = read::<SetImagingSettings>(&set(good)).expect("a good request reads");
    let ans = read::<ImagingSettingsResponse>(&answer(good)).expect("an answer reads");
    assert_eq!(req.settings, ans.settings);
    assert_eq!(req.settings.brightness, Some(20.5));
    assert_eq!(req.settings.ir_cut_filter, Some(IrCutFilterMode::Auto));
    assert_eq!(req.force_persistence, None);
    // The settings themselves are required.
    let bare = "<timg:SetImagingSettings><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
                </timg:SetImagingSettings>";
    let e = read::<SetImagingSettings>(bare).expect_err("refused");
    assert!(e.to_string().contains("ImagingSettings"), "{e}");
}

#[test]
fn a_focus_move_needs_its_kind_and_values() {
    let mv = |focus: &str| {
        read::<Move>(&format!(
            "<timg:Move><timg:VideoSourceToken>vs</timg:VideoSourceToken>\
             <timg:Focus>{focus}</timg:Focus></timg:Move>"
        ))
    };
    assert!(mv("").is_err());
    assert!(mv("<tt:Absolute><tt:Speed>1</tt:Speed></tt:Absolute>").is_err());
    assert!(mv("<tt:Continuous><tt:Speed>fast</tt:Speed></tt:Continuous>").is_err());
    let m = mv("<tt:Relative><tt:Distance>-0.5</tt:Distance></tt:Relative>").expect("reads");
    assert_eq!(
        m.focus,
        FocusMove::Relative {
            distance: -0.5,
            speed: None
        }
    );
    const { assert!(!Move::IDEMPOTENT) };
    assert_eq!(Move::ACTION, "http://www.onvif.org/ver20/imaging/wsdl/Move");
    // The one imaging operation whose action is not its element's name.
    assert_eq!(
        Stop::ACTION,
        "http://www.onvif.org/ver20/imaging/wsdl/FocusStop"
    );
}

#[test]
fn options_leave_out_unknown_modes_and_unreadable_ranges() {
    let body = "<timg:GetOptionsResponse><timg:ImagingOptions>\
        <tt:IrCutFilterModes>ON</tt:IrCutFilterModes><tt:IrCutFilterModes>DUSK</tt:IrCutFilterModes>\
        <tt:Brightness><tt:Min>0</tt:Min><tt:Max>lots</tt:Max></tt:Brightness>\
        <tt:Contrast><tt:Min>0</tt:Min><tt:Max>255.0</tt:Max></tt:Contrast>\
        </timg:ImagingOptions></timg:GetOptionsResponse>";
    let o = read::<ImagingOptionsResponse>(body).expect("reads").options;
    assert_eq!(o.ir_cut_filter_modes, [IrCutFilterMode::On]);
    assert_eq!(o.brightness, None);
    assert_eq!(o.contrast, range(0.0, 255.0));
}
