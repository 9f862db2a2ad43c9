//! PTZ (ver20): round trips of every request and response type, strict reading of requests,
//! and every recorded PTZ answer in the captures read into typed values, with values checked
//! per camera against the files.
//!
//! Captures are read in place from `../shared/captures` (next to the project) or from the
//! directory in `ONVIF_CAPTURES`; without them the capture tests say so and pass.
//! Nothing here opens a socket: addresses are values, written, read and compared.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use onvif_proto::ops::profile::FloatRange;
use onvif_proto::ops::ptz::scale::{self, Axis, Motion};
use onvif_proto::ops::ptz::*;
use onvif_proto::ops::{Operation, Service};
use onvif_proto::xml::Element;
use onvif_proto::{Envelope, Error, Message, decode, ns, soap};
use onvif_testkit::captures::{captures_dir, index, read, read_as, try_read_as};
use onvif_testkit::message::{read_body, round_trip, write};

mod every_capture;
mod round_trips;
mod values;

// ---------------------------------------------------------------------------------------------
// Helpers

fn range(min: f64, max: f64) -> FloatRange {
    FloatRange { min, max }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn pan_tilt(v: &PtzVector) -> (f64, f64) {
    let p = v.pan_tilt.as_ref().unwrap();
    (p.x, p.y)
}

fn zoom(v: &PtzVector) -> f64 {
    v.zoom.as_ref().unwrap().x
}

// ---------------------------------------------------------------------------------------------
// Sample values

fn full_spaces() -> PtzSpaces {
    PtzSpaces {
        absolute_pan_tilt: vec![
            Space2D::new(space::PAN_TILT_POSITION_GENERIC, (-1.0, 1.0), (-1.0, 1.0)),
            Space2D::new(
                space::PAN_TILT_POSITION_SPHERICAL_DEGREES,
                (f64::NEG_INFINITY, f64::INFINITY),
                (-180.0, 180.0),
            ),
        ],
        absolute_zoom: vec![Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 0.5))],
        ..PtzSpaces::generic()
    }
}

fn node() -> PtzNode {
    PtzNode {
        token: "PTZNode_1".into(),
        name: Some("Main <head> & co".into()),
        fixed_home_position: Some(false),
        supported_spaces: full_spaces(),
        max_presets: Some(16),
        home_supported: true,
        auxiliary_commands: vec!["tt:Wiper|On".into(), "tt:IRLamp|Auto".into()],
    }
}

fn speed() -> PtzVector {
    PtzVector {
        pan_tilt: Some(Vector2D::in_space(0.5, 0.25, space::PAN_TILT_SPEED_GENERIC)),
        zoom: Some(Vector1D::in_space(1.0, space::ZOOM_SPEED_GENERIC)),
    }
}

fn configuration() -> PtzConfiguration {
    PtzConfiguration {
        token: "PTZConfig_1".into(),
        name: Some("PTZ".into()),
        use_count: Some(2),
        node_token: Some("PTZNode_1".into()),
        default_absolute_pan_tilt_space: Some(space::PAN_TILT_POSITION_GENERIC.into()),
        default_absolute_zoom_space: Some(space::ZOOM_POSITION_GENERIC.into()),
        default_relative_pan_tilt_space: Some(space::PAN_TILT_TRANSLATION_GENERIC.into()),
        default_relative_zoom_space: Some(space::ZOOM_TRANSLATION_GENERIC.into()),
        default_continuous_pan_tilt_space: Some(space::PAN_TILT_VELOCITY_GENERIC.into()),
        default_continuous_zoom_space: Some(space::ZOOM_VELOCITY_GENERIC.into()),
        default_speed: Some(speed()),
        default_timeout: Some(Duration::from_millis(2500)),
        pan_tilt_limits: Some(Space2D::new(
            space::PAN_TILT_POSITION_GENERIC,
            (-1.0, 1.0),
            (-0.5, 1.0),
        )),
        zoom_limits: Some(Space1D::new(space::ZOOM_POSITION_GENERIC, (0.0, 1.0))),
    }
}
