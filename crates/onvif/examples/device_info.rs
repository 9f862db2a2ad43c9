//! Connect to a camera and print what it is: maker, model, firmware, its clock's offset from
//! ours, and the services it offers.
//!
//! ```text
//! cargo run -p onvif --example device_info                      # the built-in simulator
//! ONVIF_PASSWORD=... cargo run -p onvif --example device_info -- 192.0.2.10 admin
//! ```

mod common;

use std::error::Error;

use onvif::Camera;

/// Print the device's identity and services; returns the manufacturer.
async fn run(camera: &Camera) -> Result<String, Box<dyn Error>> {
    let info = camera.device_information().await?;
    println!("{} {}", info.manufacturer, info.model);
    println!(
        "firmware {}, serial {}",
        info.firmware_version, info.serial_number
    );
    if let Some(offset) = camera.clock_offset() {
        let ms = offset.as_millis();
        let way = if ms < 0 { "behind" } else { "ahead of" };
        println!(
            "its clock is {} ms {way} ours (requests are stamped in its time)",
            ms.abs()
        );
    }
    let services = camera.services(false).await?;
    for s in &services.services {
        println!("  {:<45} {}", s.namespace, s.xaddr);
    }
    Ok(info.manufacturer)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let (camera, _sim) = common::camera_from_args().await?;
    run(&camera).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn prints_the_simulated_device() {
        let (camera, _sim) = super::common::simulated().await.expect("simulator");
        let maker = super::run(&camera).await.expect("device information");
        assert!(!maker.is_empty(), "the simulator names its manufacturer");
    }
}
