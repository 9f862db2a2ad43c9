//! What the examples share: a camera named on the command line, or the built-in simulator.
//!
//! `cargo run -p onvif --example NAME -- ADDRESS USER` talks to a camera (the password comes
//! from `ONVIF_PASSWORD`, never from the command line, where other users could read it);
//! with no arguments the example starts a simulated camera on 127.0.0.1 and talks to that.

use std::error::Error;

use onvif::{Camera, Config, Credentials};
use onvif_sim::{SimConfig, SimHandle};

/// The simulator's user and password when the example starts its own.
pub const SIM_USER: &str = "admin";
pub const SIM_PASSWORD: &str = "example-Pa55";

/// Start a simulated camera on 127.0.0.1 (port chosen by the system) and connect to it. The
/// simulator runs as long as the handle lives.
pub async fn simulated() -> Result<(Camera, SimHandle), Box<dyn Error>> {
    let sim = SimConfig::new()
        .credentials(SIM_USER, SIM_PASSWORD)
        .start()
        .await?;
    let camera = Camera::connect(
        &sim.addr().to_string(),
        Some(Credentials::new(SIM_USER, SIM_PASSWORD)),
        Config::default(),
    )
    .await?;
    Ok((camera, sim))
}

/// The camera of the command line (`ADDRESS USER`, password from `ONVIF_PASSWORD`), or a
/// simulated one when no address is given. The handle keeps a simulator alive.
pub async fn camera_from_args() -> Result<(Camera, Option<SimHandle>), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let Some(address) = args.next() else {
        let (camera, sim) = simulated().await?;
        println!("(no camera given: using the simulator at {})", sim.addr());
        return Ok((camera, Some(sim)));
    };
    let user = args.next().unwrap_or_else(|| "admin".to_owned());
    let password = std::env::var("ONVIF_PASSWORD").unwrap_or_default();
    let camera = Camera::connect(
        &address,
        Some(Credentials::new(&user, &password)),
        Config::default(),
    )
    .await?;
    Ok((camera, None))
}
