//! Download a JPEG snapshot of the camera's first profile into a file.
//!
//! ```text
//! cargo run -p onvif --example snapshot                         # the simulator, to snapshot.jpg
//! ONVIF_PASSWORD=... cargo run -p onvif --example snapshot -- 192.0.2.10 admin
//! ```

mod common;

use std::error::Error;
use std::path::Path;

use onvif::Camera;

/// Fetch a snapshot of the first profile and write it to `out`; returns its size in bytes.
async fn run(camera: &Camera, out: &Path) -> Result<usize, Box<dyn Error>> {
    let profiles = camera.profiles().await?;
    let profile = profiles.first().ok_or("the camera has no media profile")?;
    let snapshot = camera.snapshot(profile).await?;
    std::fs::write(out, &snapshot.bytes)?;
    println!(
        "{} bytes of {} from profile {} -> {}",
        snapshot.size,
        snapshot.content_type,
        profile.token,
        out.display()
    );
    Ok(snapshot.size)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let (camera, _sim) = common::camera_from_args().await?;
    run(&camera, Path::new("snapshot.jpg")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn writes_a_jpeg_of_the_simulated_camera() {
        let (camera, _sim) = super::common::simulated().await.expect("simulator");
        let dir =
            std::env::temp_dir().join(format!("onvif-example-snapshot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let out = dir.join("snapshot.jpg");
        let size = super::run(&camera, &out).await.expect("snapshot");
        let bytes = std::fs::read(&out).expect("written file");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(bytes.len(), size);
        assert_eq!(&bytes[..2], &[0xFF, 0xD8], "a JPEG starts with SOI");
    }
}
