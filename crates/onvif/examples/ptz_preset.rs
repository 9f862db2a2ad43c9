//! Move a PTZ camera to a preset (by name, or its first one) and print where it is going.
//!
//! ```text
//! cargo run -p onvif --example ptz_preset                       # the simulator, given a preset
//! ONVIF_PASSWORD=... cargo run -p onvif --example ptz_preset -- 192.0.2.10 admin Door
//! ```

mod common;

use std::error::Error;

use onvif::Camera;

/// Go to the preset named `name` (or the first one); returns the preset's token.
async fn run(camera: &Camera, name: Option<&str>) -> Result<String, Box<dyn Error>> {
    // The PTZ node and configuration of the first profile that has one.
    let target = camera.ptz_target(None).await?;
    let presets = camera.ptz_presets(&target).await?;
    for p in &presets {
        println!("preset {:<12} {}", p.token, p.name.as_deref().unwrap_or(""));
    }
    // By name or token (an unknown one is an error naming those there are).
    let preset = match name {
        Some(n) => camera.ptz_find_preset(&target, n).await?,
        None => presets.first().cloned().ok_or("the camera has no preset")?,
    };
    camera.ptz_goto_preset(&target, &preset.token, None).await?;
    let status = camera.ptz_status(&target).await?;
    // The camera's own units, as the user gives them: pan and tilt -1..1, zoom 0..1.
    let (pan, tilt, zoom) = status.position.as_ref().map_or((None, None, None), |p| {
        onvif::ptz::user_position(&target.node, p)
    });
    println!(
        "going to {}; now pan {pan:?} tilt {tilt:?} zoom {zoom:?}",
        preset.token
    );
    Ok(preset.token.clone())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let (camera, sim) = common::camera_from_args().await?;
    let mut name = std::env::args().nth(3);
    if sim.is_some() {
        // The simulator starts with no presets: store where it is now as "Door".
        let target = camera.ptz_target(None).await?;
        camera.ptz_set_preset(&target, "Door").await?;
        name = Some("Door".to_owned());
    }
    run(&camera, name.as_deref()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn goes_to_a_preset_of_the_simulator_by_name() {
        let (camera, _sim) = super::common::simulated().await.expect("simulator");
        let target = camera.ptz_target(None).await.expect("PTZ target");
        // The simulator starts with no presets: store the current position as one.
        let token = camera
            .ptz_set_preset(&target, "Door")
            .await
            .expect("SetPreset");
        assert_eq!(
            super::run(&camera, Some("Door")).await.expect("goto"),
            token
        );
        assert!(
            super::run(&camera, Some("Garden")).await.is_err(),
            "no such preset"
        );
    }
}
