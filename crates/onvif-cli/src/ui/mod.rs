//! `onvif ui`: a browser UI served by axum. Start-up and the router here; the state the
//! handlers share (the cameras, the error they answer with) in `app`, the HTML in `pages`
//! (its pieces in `html`), the camera actions in `actions`, the encoder and discovery
//! settings (their sections and their changes) in `configure`, the live event feed in `events` (its per-camera hub in
//! `hub`), the CSS and JavaScript in `assets/`.
//!
//! Who may use it is `access`'s business (a login beyond loopback, requests from our own
//! pages only). No camera password is put in a page or an answer: the browser only ever
//! talks to us. `serve` serves it, with limits on how long and how many connections one
//! host may hold.

mod access;
mod actions;
mod app;
pub mod bridge;
mod configure;
mod events;
mod html;
mod hub;
mod maintenance;
mod pages;
mod serve;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{get, post};
use onvif::Credentials;

use crate::args::Global;
use crate::args::ui::UiArgs;
use crate::config;
use crate::connection::{self, Target};
use crate::failure::{Failure, exit};
use access::Access;
use app::{App, Slot};
use serve::Limits;

/// Run `onvif ui` until Ctrl-C.
pub async fn run(args: &UiArgs, g: &Global) -> Result<(), Failure> {
    let cfg = config::load(g.config.as_deref()).map_err(Failure::usage)?;
    let mut cameras = BTreeMap::new();
    for (name, e) in &cfg.cameras {
        let creds = match (&e.user, &e.password) {
            (Some(u), Some(p)) => Some(Credentials::new(u, p)),
            _ => None,
        };
        let target = Target {
            host: e.host.clone(),
            creds,
            insecure: g.insecure || e.insecure,
            allow_basic: g.allow_basic || e.allow_basic,
            keep_camera_host: g.keep_camera_host || e.keep_camera_host,
            auth: g.auth.map_or(e.auth, Into::into),
            cert_sha256: e.cert_sha256.clone(),
            quirks: e
                .quirks()
                .map_err(|m| Failure::usage(format!("camera {name}: {m}")))?,
            entry: Some(name.clone()),
        };
        cameras.insert(
            name.clone(),
            Arc::new(Slot::new(name.clone(), target, false)),
        );
    }
    // A camera named on the command line (-H) joins the list too.
    if g.host.is_some() {
        let target = connection::resolve_target(g)?;
        let name = g.camera.clone().unwrap_or_else(|| "command-line".into());
        cameras.insert(name.clone(), Arc::new(Slot::new(name, target, true)));
    }
    for u in &args.discover_unicast {
        onvif::discovery::parse_target(u, onvif::discovery::PORT)?;
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| Failure {
            code: exit::NETWORK,
            message: format!("cannot listen on {}: {e}", args.bind),
        })?;
    let addr = listener.local_addr().map_err(|e| Failure {
        code: exit::NETWORK,
        message: format!("cannot listen on {}: {e}", args.bind),
    })?;
    let access = Arc::new(Access::new(addr, cfg.ui_password.clone()));
    access.announce(addr, cfg.ui_password.is_some());
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let app = Arc::new(App {
        cameras: Mutex::new(cameras),
        g: g.clone(),
        discover_unicast: args.discover_unicast.clone(),
        hubs: Mutex::new(HashMap::new()),
        stopping: stopping.clone(),
    });
    let serve = serve::serve(listener, router(app, access), Limits::UI, async move {
        crate::stop::requested().await;
        let _ = stop.send(true);
    });
    let mut stopped = stopping;
    tokio::select! {
        () = serve => Ok(()),
        // Whatever answer is still under way (a doctor run, a slow camera) gets this long.
        () = async {
            if stopped.wait_for(|s| *s).await.is_err() {
                // No Ctrl-C will come; `serve` decides.
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    }
}

/// How long answers under way may still finish after Ctrl-C.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

fn router(app: Arc<App>, access: Arc<Access>) -> Router {
    let pages = Router::new()
        .route("/", get(pages::index))
        .route("/status.json", get(pages::status_json))
        .route("/cameras", post(actions::add_camera))
        .route("/discover", post(pages::discover))
        .route("/camera/{name}", get(pages::camera))
        .route("/camera/{name}/doctor", post(pages::doctor))
        .route("/camera/{name}/snapshot.jpg", get(actions::snapshot))
        .route("/camera/{name}/clock", post(actions::sync_clock))
        .route("/camera/{name}/imaging", post(actions::imaging))
        .route("/camera/{name}/encoder", post(configure::set_encoder))
        .route("/camera/{name}/scopes", post(configure::set_scopes))
        .route("/camera/{name}/reboot", post(maintenance::reboot))
        .route("/camera/{name}/backup", get(maintenance::backup))
        .route("/camera/{name}/ptz/{action}", post(actions::ptz))
        .route("/camera/{name}/events", get(events::stream))
        .with_state(app);
    access::protect(pages, access)
}
