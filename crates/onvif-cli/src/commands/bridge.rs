//! `onvif bridge`: the config's cameras on an MQTT broker (see the `onvif_bridge` crate).

use std::path::Path;
use std::time::Duration;

use onvif::{Camera, Credentials};
use onvif_bridge::{Bridge, BridgeConfig, CameraSpec, MqttSettings, shard_of};
use serde::Serialize;

use crate::args::Global;
use crate::args::bridge::BridgeArgs;
use crate::config::{self, ConfigFile};
use crate::connection::{Target, client_config};
use crate::failure::{Failure, exit};
use crate::output;

/// The environment variable that holds the broker's password.
const PASSWORD_ENV: &str = "ONVIF_MQTT_PASSWORD";

/// What a bridge runs with, read from the config and the flags.
struct Plan {
    cfg: BridgeConfig,
    password: Option<String>,
}

fn plan(args: &BridgeArgs, g: &Global, file: &ConfigFile) -> Result<Plan, Failure> {
    let mut mqtt = match (&file.mqtt, &args.mqtt) {
        (Some(m), url) => {
            let mut m = m.clone();
            if let Some(u) = url {
                m.url = u.clone();
            }
            m
        }
        (None, Some(url)) => MqttSettings::new(url.clone()),
        (None, None) => {
            return Err(Failure::usage(
                "no broker: give --mqtt mqtt://HOST:1883, or a [mqtt] table with a url in the \
                 config file",
            ));
        }
    };
    if let Some(u) = &args.mqtt_user {
        mqtt.user = Some(u.clone());
    }
    if let Some(ca) = &args.mqtt_ca {
        mqtt.ca = Some(ca.clone());
    }
    let password = std::env::var(PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| mqtt.password.clone());
    for name in &args.cameras {
        if !file.cameras.contains_key(name) {
            let known: Vec<&str> = file.cameras.keys().map(String::as_str).collect();
            return Err(Failure::usage(format!(
                "no camera named {name:?} in the config (known: {})",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    let mut cameras = Vec::new();
    for (name, e) in &file.cameras {
        if !args.cameras.is_empty() && !args.cameras.contains(name) {
            continue;
        }
        if args.shard.is_some_and(|(i, n)| shard_of(name, n) != i) {
            continue;
        }
        let creds = match (&e.user, &e.password) {
            (Some(u), Some(p)) => Some(Credentials::new(u.clone(), p.clone())),
            (None, None) => None,
            _ => {
                return Err(Failure::usage(format!(
                    "camera {name:?} in the config: give both user and password, or neither"
                )));
            }
        };
        let target = Target {
            host: e.host.clone(),
            creds: creds.clone(),
            insecure: e.insecure,
            allow_basic: e.allow_basic,
            keep_camera_host: e.keep_camera_host,
            auth: e.auth,
            cert_sha256: e.cert_sha256.clone(),
            quirks: e
                .quirks()
                .map_err(|m| Failure::usage(format!("camera {name:?}: {m}")))?,
            entry: Some(name.clone()),
        };
        cameras.push(CameraSpec {
            name: name.clone(),
            host: e.host.clone(),
            creds,
            client: client_config(&target, g),
            options: e.bridge.clone().unwrap_or_default(),
        });
    }
    if cameras.is_empty() && args.shard.is_none() {
        return Err(Failure::usage(
            "no cameras to follow: add [cameras.NAME] tables to the config file",
        ));
    }
    mqtt.shard = args.shard.map(|(i, _)| i);
    let mut cfg = BridgeConfig::new(mqtt, cameras);
    // Every camera of the file, also those another shard or `--camera` leaves out: what is
    // retained for any other one was left by a camera removed from the file.
    cfg.known = file.cameras.keys().cloned().collect();
    onvif_bridge::validate(&cfg).map_err(Failure::usage)?;
    Ok(Plan { cfg, password })
}

fn config_path<'a>(args: &'a BridgeArgs, g: &'a Global) -> Option<&'a Path> {
    args.config.as_deref().or(g.config.as_deref())
}

pub async fn run(args: &BridgeArgs, g: &Global) -> Result<(), Failure> {
    let file = config::load(config_path(args, g)).map_err(Failure::usage)?;
    let Plan { cfg, password } = plan(args, g, &file)?;
    if args.check {
        return check(cfg, password.as_deref(), g.json).await;
    }
    let names: Vec<String> = cfg.cameras.iter().map(|c| c.name.clone()).collect();
    let url = cfg.mqtt.url.clone();
    let mut bridge = Bridge::start(cfg, password.as_deref()).map_err(Failure::usage)?;
    eprintln!(
        "bridge: {} camera(s) ({}) to {url}; Ctrl-C stops, SIGHUP reads the config again",
        names.len(),
        names.join(", ")
    );
    if let Some(addr) = args.metrics {
        let bound = bridge.serve_metrics(addr).await.map_err(|e| Failure {
            code: exit::USAGE,
            message: format!("--metrics {addr}: {e}"),
        })?;
        eprintln!("bridge: metrics on http://{bound}/metrics");
    }
    if let Some(addr) = args.ui {
        let view = crate::ui::bridge::BridgeView {
            metrics: bridge.metrics(),
            outbox: bridge.outbox(),
            broker: onvif::media::redact_userinfo(&url),
            started: std::time::SystemTime::now(),
        };
        crate::ui::bridge::serve(addr, view, file.ui_password.clone()).await?;
    }
    wait_for_signals(&mut bridge, args, g).await;
    eprintln!("bridge: stopping");
    bridge.stop().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signals(bridge: &mut Bridge, args: &BridgeArgs, g: &Global) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return,
            _ = term.recv() => return,
            _ = hup.recv() => reload(bridge, args, g).await,
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signals(_bridge: &mut Bridge, _args: &BridgeArgs, _g: &Global) {
    let _ = tokio::signal::ctrl_c().await;
}

/// Read the config again and follow its cameras; a bad config changes nothing.
#[cfg_attr(not(unix), allow(dead_code))]
async fn reload(bridge: &mut Bridge, args: &BridgeArgs, g: &Global) {
    let planned = config::load(config_path(args, g))
        .map_err(Failure::usage)
        .and_then(|file| plan(args, g, &file));
    match planned {
        Ok(p) => match bridge.reload(p.cfg.cameras, p.cfg.known).await {
            Ok((started, stopped)) => {
                let names = |v: &[String]| {
                    if v.is_empty() {
                        "none".to_owned()
                    } else {
                        v.join(", ")
                    }
                };
                eprintln!(
                    "bridge: config read again; cameras started: {}; stopped: {}",
                    names(&started),
                    names(&stopped)
                );
            }
            Err(e) => eprintln!("bridge: config not applied: {}", output::clean(&e)),
        },
        Err(f) => eprintln!("bridge: config not applied: {}", output::clean(&f.message)),
    }
}

#[derive(Serialize)]
struct CheckRow {
    name: String,
    host: String,
    ok: bool,
    result: String,
}

/// Connect to every camera and to the broker once; a table (or JSON); fails when one fails.
async fn check(cfg: BridgeConfig, password: Option<&str>, json: bool) -> Result<(), Failure> {
    let limit = Duration::from_secs(10);
    let mut tasks = Vec::new();
    for c in cfg.cameras.clone() {
        tasks.push(tokio::spawn(async move {
            let r = tokio::time::timeout(limit, async {
                let cam = Camera::connect(&c.host, c.creds.clone(), c.client.clone()).await?;
                cam.device_information().await
            })
            .await;
            let (ok, result, code) = match r {
                Ok(Ok(i)) => (true, format!("ok: {} {}", i.manufacturer, i.model), None),
                Ok(Err(e)) => (false, e.to_string(), Some(Failure::from(e).code)),
                Err(_) => (false, "no answer within 10 s".into(), Some(exit::NETWORK)),
            };
            (
                CheckRow {
                    name: c.name,
                    host: c.host,
                    ok,
                    result,
                },
                code,
            )
        }));
    }
    // plan() validated the settings already: this only reads the broker's address back.
    let broker = cfg.mqtt.validate().map_err(Failure::usage)?;
    let topics = onvif_bridge::Topics::of(&cfg.mqtt);
    let opts = onvif_bridge::mqtt::options(&cfg.mqtt, &broker, password, &topics)
        .map_err(Failure::usage)?;
    let broker_result = onvif_bridge::mqtt::check(opts, limit).await;
    let mut rows = vec![CheckRow {
        name: "(broker)".into(),
        host: cfg.mqtt.url.clone(),
        ok: broker_result.is_ok(),
        result: broker_result.clone().map_or_else(|e| e, |()| "ok".into()),
    }];
    let mut worst = broker_result.is_err().then_some(exit::NETWORK);
    for t in tasks {
        if let Ok((row, code)) = t.await {
            worst = worst.or(code);
            rows.push(row);
        }
    }
    if json {
        let doc = serde_json::to_string_pretty(&rows).unwrap_or_default();
        println!("{}", output::json_safe(doc));
    } else {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| vec![r.name.clone(), r.host.clone(), r.result.clone()])
            .collect();
        print!(
            "{}",
            output::table(&["CAMERA", "ADDRESS", "RESULT"], &cells)
        );
    }
    match worst {
        None => Ok(()),
        Some(code) => Err(Failure {
            code,
            message: format!(
                "{} of {} checks failed",
                rows.iter().filter(|r| !r.ok).count(),
                rows.len()
            ),
        }),
    }
}
