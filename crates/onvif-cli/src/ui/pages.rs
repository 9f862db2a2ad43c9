//! The HTML pages, rendered on the server. Every string that comes from a camera, the
//! config or a request goes through [`esc`]; no page holds a camera password.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Html;
use onvif::Camera;
use onvif::discovery::Device;
use onvif::proto::ops::profile::FloatRange;

use super::app::{App, S, STATUS_WAIT, Slot, Status, UiError};
use super::configure;
pub use super::html::esc;
use super::html::{kv, problem};

/// A camera's name as one segment of a link's path: percent-encoded but for letters, digits
/// and `- . _ ~` (a name from the config may hold `/`, `#`, `%` or spaces), so safe in an
/// attribute as well.
fn path_name(name: &str) -> String {
    onvif::media::percent_encode(name)
}

/// A login is asked (the UI is bound off loopback): pages offer to log out.
pub static LOGIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A page: head, a title, the body given.
pub(super) fn page(title: &str, body: &str) -> Html<String> {
    let logout = if LOGIN.load(std::sync::atomic::Ordering::Relaxed) && title != "Login" {
        "<form method=\"post\" action=\"/logout\" class=\"logout\"><button>Log out</button></form>"
    } else {
        ""
    };
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} · onvif</title><link rel=\"stylesheet\" href=\"/assets/app.css\">\
         <script src=\"/assets/app.js\" defer></script></head><body>\
         <header><a href=\"/\">onvif</a> <span>{t}</span>{logout}</header><main>{body}\
         <p id=\"status\" role=\"status\" aria-live=\"polite\"></p></main></body></html>\n",
        t = esc(title)
    ))
}

/// The login page, with a complaint when the last try failed.
pub fn login(complaint: Option<&str>) -> Html<String> {
    let c = complaint.map_or(String::new(), |c| {
        format!("<p class=\"error\">{}</p>", esc(c))
    });
    page(
        "Login",
        &format!(
            "<section><h2>Login</h2>{c}<p>Give the token <code>onvif ui</code> printed when it \
             started (or the config's ui_password).</p><form method=\"post\" action=\"/login\">\
             <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required \
             autofocus aria-label=\"token\"> <button>Log in</button></form></section>"
        ),
    )
}

/// After a refusal of the credentials the camera is not asked again for this long: asking
/// again and again could lock the account, as many cameras do after a few failed logins.
const AUTH_HOLD: std::time::Duration = std::time::Duration::from_secs(300);

/// The camera's status, asked now; but pages asking at the same time share one answer, and
/// a refusal of the credentials is kept for [`AUTH_HOLD`].
async fn status(app: &App, slot: &Slot) -> Status {
    let wanted = std::time::Instant::now();
    let mut last = slot.status.lock().await;
    if let Some((at, st)) = &*last {
        // Asked by another page while this one waited, or a refusal still held.
        if *at >= wanted || (st.auth && at.elapsed() < AUTH_HOLD) {
            return st.clone();
        }
    }
    let st = ask_status(app, slot).await;
    *last = Some((std::time::Instant::now(), st.clone()));
    st
}

async fn ask_status(app: &App, slot: &Slot) -> Status {
    let r = tokio::time::timeout(STATUS_WAIT, async {
        let cam = slot.camera(&app.g).await?;
        Ok::<_, UiError>(cam.device_information().await?)
    })
    .await;
    match r {
        Ok(Ok(i)) => Status {
            online: true,
            maker: i.manufacturer,
            model: i.model,
            problem: String::new(),
            auth: false,
        },
        Ok(Err(e)) => {
            app.after(slot, &e).await;
            let auth = e.is_auth();
            let mut problem = e.message;
            if auth {
                problem.push_str(" (not asked again for 5 minutes: it could lock the account)");
            }
            Status {
                online: false,
                maker: String::new(),
                model: String::new(),
                problem,
                auth,
            }
        }
        Err(_) => {
            slot.forget().await;
            Status {
                online: false,
                maker: String::new(),
                model: String::new(),
                problem: "no answer in time".into(),
                auth: false,
            }
        }
    }
}

/// Every camera with its status, asked of them all at once.
async fn statuses(app: &Arc<App>) -> Vec<(Arc<Slot>, Status)> {
    let slots = app.slots();
    let mut set = tokio::task::JoinSet::new();
    for (i, s) in slots.iter().enumerate() {
        let (app, s) = (app.clone(), s.clone());
        set.spawn(async move { (i, status(&app, &s).await) });
    }
    let mut statuses: Vec<Option<Status>> = (0..slots.len()).map(|_| None).collect();
    while let Some(Ok((i, st))) = set.join_next().await {
        statuses[i] = Some(st);
    }
    slots
        .into_iter()
        .zip(statuses)
        .map(|(s, st)| {
            let st = st.unwrap_or(Status {
                online: false,
                maker: String::new(),
                model: String::new(),
                problem: "not checked".into(),
                auth: false,
            });
            (s, st)
        })
        .collect()
}

/// GET /status.json: each camera online or not, with its maker and model (the cameras list
/// refreshes itself from it).
pub async fn status_json(State(app): S) -> axum::response::Response {
    let list: Vec<serde_json::Value> = statuses(&app)
        .await
        .into_iter()
        .map(|(s, st)| {
            serde_json::json!({
                "name": s.name,
                "online": st.online,
                "maker": st.maker,
                "model": st.model,
                "problem": st.problem,
            })
        })
        .collect();
    json(&serde_json::json!({ "cameras": list }))
}

/// A JSON answer of the current state (never cached).
pub(super) fn json(v: &serde_json::Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        v.to_string(),
    )
        .into_response()
}

/// GET /: the cameras, each online or not with its maker and model; add one; discover.
pub async fn index(State(app): S) -> Html<String> {
    let mut rows = String::new();
    for (s, st) in statuses(&app).await {
        let _ = write!(
            rows,
            "<li class=\"camera\" data-name=\"{n}\"><a href=\"/camera/{u}\">{n}</a> \
             <span class=\"{cls}\" data-state>{state}</span> \
             <span data-model>{maker} {model}</span> <small>{host}{added}</small> \
             <small class=\"error\" data-problem>{problem}</small></li>",
            n = esc(&s.name),
            u = path_name(&s.name),
            cls = if st.online { "online" } else { "offline" },
            state = if st.online { "online" } else { "offline" },
            maker = esc(&st.maker),
            model = esc(&st.model),
            host = esc(&s.host()),
            added = if s.added { " · this session" } else { "" },
            problem = esc(&st.problem),
        );
    }
    if rows.is_empty() {
        rows = "<li>No camera yet: add one below, or discover them.</li>".into();
    }
    page(
        "Cameras",
        &format!(
            "<section><h2>Cameras</h2><ul class=\"cameras\" data-status=\"/status.json\">{rows}</ul>\
             <form method=\"post\" action=\"/discover\"><button>Discover cameras</button></form>\
             </section>{}",
            add_form("")
        ),
    )
}

/// The form that adds a camera for this session, its address filled in when given.
fn add_form(host: &str) -> String {
    format!(
        "<section><h2>Add a camera</h2><form method=\"post\" action=\"/cameras\" class=\"grid\">\
         <label>Name <input name=\"name\" maxlength=\"40\" pattern=\"[A-Za-z0-9_\\-]+\"></label>\
         <label>Address <input name=\"host\" required maxlength=\"200\" value=\"{}\" \
         placeholder=\"192.0.2.20:2020\"></label>\
         <label>User <input name=\"user\" autocomplete=\"off\"></label>\
         <label>Password <input name=\"password\" type=\"password\" autocomplete=\"off\"></label>\
         <label><input type=\"checkbox\" name=\"save\"> Also save it to the config file \
         (with the password; the file is kept private)</label>\
         <button>Add</button></form><p><small>Otherwise kept for this session only.</small></p>\
         </section>",
        esc(host)
    )
}

/// POST /discover: WS-Discovery as `onvif discover` does it by default; the cameras found,
/// each with a form to add it.
pub async fn discover(State(app): S) -> Result<Html<String>, UiError> {
    let opts = crate::commands::discover::default_options(&app.discover_unicast)?;
    let found: Vec<Device> = crate::commands::discover::collect(opts, |_| {}, false).await?;
    let mut body = String::from("<section><h2>Discovered</h2>");
    if found.is_empty() {
        body.push_str("<p>No camera answered.</p>");
    }
    for d in &found {
        let host = d.host.clone().unwrap_or_default();
        let _ = write!(
            body,
            "<article><h3>{}</h3><p>{} <small>{}</small></p>{}</article>",
            esc(d.info.name.as_deref().unwrap_or("(no name)")),
            esc(d.info.hardware.as_deref().unwrap_or("")),
            esc(&onvif::media::redact_userinfo(&host)),
            add_form(&onvif::media::redact_userinfo(&host)),
        );
    }
    body.push_str("</section>");
    Ok(page("Discover", &body))
}

/// A table of label and value rows (values escaped here).
/// GET /camera/NAME: identity, clock, discovery, live view, profiles, encoders, imaging, PTZ,
/// events.
pub async fn camera(State(app): S, Path(name): Path<String>) -> Result<Html<String>, UiError> {
    let slot = app.slot(&name)?;
    let n = esc(&slot.name);
    // What links say: /camera/{u}/...
    let u = path_name(&slot.name);
    let cam = match slot.camera(&app.g).await {
        Ok(c) => c,
        Err(e) => {
            app.after(&slot, &e).await;
            return Ok(page(
                &slot.name,
                &format!(
                    "<section><h2>{n} <span class=\"offline\">offline</span></h2>{}</section>",
                    problem("cannot connect", &e)
                ),
            ));
        }
    };
    // Asked first: refused credentials end the page here, as each further question would be
    // one more failed login (and the camera is not online to us).
    let identity = match cam.device_information().await {
        Err(e) if e.is_auth() => Err(UiError::from(e)),
        answered => Ok(answered),
    };
    let identity = match identity {
        Ok(answered) => answered,
        Err(e) => {
            app.after(&slot, &e).await;
            return Ok(page(
                &slot.name,
                &format!(
                    "<section><h2>{n} <span class=\"offline\">credentials refused</span></h2>{}\
                 </section>",
                    problem("identity", &e)
                ),
            ));
        }
    };
    let mut body = format!(
        "<section><h2>{n} <span class=\"online\" id=\"state\">online</span></h2><p><small>{}</small> \
         </p><form method=\"post\" action=\"/camera/{u}/doctor\" data-busy=\"Running the doctor's \
         checks: about 15 s…\"><button>Doctor report</button> \
         <small>(takes about 15 s)</small></form>",
        esc(&slot.host())
    );
    match identity {
        Ok(i) => body.push_str(&kv(&[
            ("Maker", i.manufacturer),
            ("Model", i.model),
            ("Firmware", i.firmware_version),
            ("Serial", i.serial_number),
            ("Hardware", i.hardware_id),
        ])),
        Err(e) => body.push_str(&problem("identity", &e.into())),
    }
    body.push_str("</section>");
    body.push_str(&clock(&cam, &u).await);
    body.push_str(&configure::discovery(&cam, &u).await);
    let _ = write!(
        body,
        "<section><h2>Live</h2><img id=\"live\" class=\"live\" alt=\"live view of {n}\" \
         src=\"/camera/{u}/snapshot.jpg\" data-refresh=\"1000\"></section>"
    );
    body.push_str(&profiles(&cam, slot.user()).await);
    body.push_str(&configure::encoders(&cam, &u).await);
    body.push_str(&imaging(&cam, &u).await);
    body.push_str(&ptz(&app, &slot, &cam, &u).await);
    let _ = write!(
        body,
        "<section><h2>Events</h2><ul id=\"events\" class=\"events\" \
         data-src=\"/camera/{u}/events\"></ul></section>"
    );
    body.push_str(&super::maintenance::section(&slot.name, &u));
    Ok(page(&slot.name, &body))
}

async fn clock(cam: &Camera, u: &str) -> String {
    let mut o = String::from("<section><h2>Clock</h2>");
    match cam.measure_clock().await {
        Ok(r) => o.push_str(&kv(&[
            (
                "Camera (UTC)",
                r.camera_utc.map_or("unknown".into(), |t| t.to_string()),
            ),
            (
                "This computer (UTC)",
                r.local_utc
                    .round(jiff::Unit::Second)
                    .unwrap_or(r.local_utc)
                    .to_string(),
            ),
            (
                "Difference",
                r.offset
                    .map_or("unknown".into(), |d| format!("{:.1} s", d.as_secs_f64())),
            ),
            ("Set by", format!("{:?}", r.settings.date_time_type)),
            (
                "Time zone",
                r.settings.time_zone.clone().unwrap_or_default(),
            ),
        ])),
        Err(e) => o.push_str(&problem("clock", &e.into())),
    }
    let _ = write!(
        o,
        "<form method=\"post\" action=\"/camera/{u}/clock\" data-ajax data-reload>\
         <button>Sync clock</button></form></section>"
    );
    o
}

/// A stream URI as the Copy button hands it over: without the user-info a camera may have put
/// in it (the player asks). A password the camera wrote into the query or the path stays
/// hidden, so such a URI is copied with `[credentials]` where the password goes.
fn copyable(uri: &str) -> String {
    onvif::address::redact_query_secrets(&onvif::address::without_userinfo(uri)).into_owned()
}

/// A stream URI with `user` as its user name (never a password: the player asks for it).
fn with_user(uri: &str, user: &str) -> Option<String> {
    let mut u = url::Url::parse(uri).ok()?;
    u.set_username(user).ok()?;
    Some(u.to_string())
}

async fn profiles(cam: &Camera, user: Option<&str>) -> String {
    let mut o = String::from("<section><h2>Profiles</h2>");
    let list = match cam.profiles().await {
        Ok(l) => l,
        Err(e) => {
            o.push_str(&problem("profiles", &e.into()));
            o.push_str("</section>");
            return o;
        }
    };
    o.push_str("<table class=\"profiles\"><tr><th>Profile</th><th>Video</th><th>Stream</th></tr>");
    for p in &list {
        let video = p.video_encoder.as_ref().map_or(String::new(), |v| {
            v.encoding
                .as_ref()
                .map_or(String::new(), |e| format!("{e:?}"))
        });
        // Shown with `[credentials]` where the camera put some; copied without them, so that
        // a player can open it (and asks for them).
        let (uri, copyable) = match cam.stream_uri(p, onvif::StreamTransport::default()).await {
            Ok(u) => (
                onvif::media::redact_userinfo(&u.uri),
                Some(copyable(&u.uri)),
            ),
            Err(e) => (format!("({})", UiError::from(e).message), None),
        };
        let uri_e = esc(&uri);
        let mut copy = String::new();
        if let Some(copyable) = copyable {
            let _ = write!(
                copy,
                " <button type=\"button\" data-copy=\"{}\">Copy</button>",
                esc(&copyable)
            );
            if let Some(with) = user.and_then(|u| with_user(&copyable, u)) {
                let _ = write!(
                    copy,
                    " <button type=\"button\" data-copy=\"{}\" title=\"with the user name; \
                     the player asks for the password\">Copy with user</button>",
                    esc(&with)
                );
            }
        }
        let _ = write!(
            o,
            "<tr><td>{} <small>{}</small></td><td>{}</td><td><code>{uri_e}</code>{copy}</td></tr>",
            esc(&p.name),
            esc(&p.token),
            esc(&video),
        );
    }
    o.push_str("</table></section>");
    o
}

async fn imaging(cam: &Camera, u: &str) -> String {
    let mut o = String::from("<section><h2>Imaging</h2>");
    let got = async {
        let source = cam.imaging_source(None).await?;
        let s = cam.imaging_settings(&source).await?;
        let opts = cam.imaging_options(&source).await?;
        Ok::<_, onvif::Error>((s, opts))
    }
    .await;
    let (s, opts) = match got {
        Ok(x) => x,
        Err(e) => {
            o.push_str(&problem("imaging", &e.into()));
            o.push_str("</section>");
            return o;
        }
    };
    let _ = write!(
        o,
        "<form method=\"post\" action=\"/camera/{u}/imaging\" data-ajax class=\"sliders\">"
    );
    let rows: [(&str, Option<f64>, Option<&FloatRange>); 4] = [
        ("brightness", s.brightness, opts.brightness.as_ref()),
        ("contrast", s.contrast, opts.contrast.as_ref()),
        (
            "saturation",
            s.color_saturation,
            opts.color_saturation.as_ref(),
        ),
        ("sharpness", s.sharpness, opts.sharpness.as_ref()),
    ];
    let mut any = false;
    for (field, value, range) in rows {
        let Some(r) = range else { continue };
        any = true;
        let v = value.unwrap_or(r.min);
        let step = ((r.max - r.min) / 100.0).max(f64::MIN_POSITIVE);
        let _ = write!(
            o,
            "<label>{field} <output>{v}</output><input type=\"range\" name=\"{field}\" \
             min=\"{}\" max=\"{}\" step=\"{step}\" value=\"{v}\" data-slider></label>",
            r.min, r.max
        );
    }
    if !any {
        o.push_str("<p>The camera gives no ranges to set.</p>");
    }
    o.push_str("</form></section>");
    o
}

async fn ptz(app: &App, slot: &Arc<Slot>, cam: &Camera, u: &str) -> String {
    let mut o = String::from("<section><h2>PTZ</h2>");
    let t = match slot.ptz_target(&app.g).await {
        Ok(t) => t,
        Err(e) => {
            o.push_str(&problem("no PTZ", &e));
            o.push_str("</section>");
            return o;
        }
    };
    let _ = write!(
        o,
        "<div class=\"pad\" data-ptz=\"/camera/{u}/ptz\">\
         <button type=\"button\" data-pan=\"0\" data-tilt=\"0.5\" aria-label=\"up\">▲</button>\
         <button type=\"button\" data-pan=\"-0.5\" data-tilt=\"0\" aria-label=\"left\">◀</button>\
         <button type=\"button\" data-home aria-label=\"home\">⌂</button>\
         <button type=\"button\" data-pan=\"0.5\" data-tilt=\"0\" aria-label=\"right\">▶</button>\
         <button type=\"button\" data-pan=\"0\" data-tilt=\"-0.5\" aria-label=\"down\">▼</button>\
         <button type=\"button\" data-zoom=\"0.5\" aria-label=\"zoom in\">+</button>\
         <button type=\"button\" data-zoom=\"-0.5\" aria-label=\"zoom out\">−</button>\
         </div><p><small>Press and hold; arrow keys and + / − work too.</small></p>"
    );
    o.push_str("<h3>Presets</h3><ul class=\"presets\">");
    match cam.ptz_presets(&t).await {
        Ok(list) => {
            for p in list {
                let tok = esc(&p.token);
                let _ = write!(
                    o,
                    "<li>{} <form method=\"post\" action=\"/camera/{u}/ptz/goto\" data-ajax>\
                     <input type=\"hidden\" name=\"token\" value=\"{tok}\"><button>Go</button></form>\
                     <form method=\"post\" action=\"/camera/{u}/ptz/remove\" data-ajax data-reload>\
                     <input type=\"hidden\" name=\"token\" value=\"{tok}\"><button>Remove</button>\
                     </form></li>",
                    esc(p.name.as_deref().unwrap_or(&p.token)),
                );
            }
        }
        Err(e) => o.push_str(&problem("presets", &e.into())),
    }
    let _ = write!(
        o,
        "</ul><form method=\"post\" action=\"/camera/{u}/ptz/set\" data-ajax data-reload>\
         <input name=\"name\" required maxlength=\"64\" aria-label=\"preset name\" \
         placeholder=\"preset name\"> <button>Save here</button></form></section>"
    );
    o
}

/// POST /camera/NAME/doctor: `onvif doctor`'s checks of the camera, as a table (it takes
/// some seconds: the events check holds a long poll). A POST, not a GET: it subscribes and
/// tries the credentials, which no other site may make us do.
pub async fn doctor(State(app): S, Path(name): Path<String>) -> Result<Html<String>, UiError> {
    use crate::diagnosis::{Probe, Status, probe};
    let slot = app.slot(&name)?;
    let (checks, _) = probe(&slot.target, &app.g, None, Probe::default()).await;
    // What a check says comes from the camera and our client; the password is taken out of
    // it all the same, should any of it ever quote a request.
    let password = slot
        .target
        .creds
        .as_ref()
        .map(|c| c.password.expose().to_owned())
        .filter(|p| !p.is_empty());
    let clean = |s: &str| {
        let s = onvif::address::redact_userinfo_in_text(s).into_owned();
        match &password {
            Some(p) => s.replace(p.as_str(), "********"),
            None => s,
        }
    };
    let mut o = format!(
        "<section><h2>Doctor: {}</h2><table class=\"doctor\"><tr><th>Status</th><th>Area</th>\
         <th>Check</th><th>Found</th></tr>",
        esc(&slot.name)
    );
    let (mut problems, mut warnings) = (0, 0);
    for c in &checks {
        let (status, cls) = match c.status {
            Status::Ok => ("ok", "online"),
            Status::Warning => {
                warnings += 1;
                ("warning", "")
            }
            Status::Problem => {
                problems += 1;
                ("PROBLEM", "offline")
            }
            Status::Skipped => ("skipped", ""),
        };
        let advice = c.advice.as_deref().map_or(String::new(), |a| {
            format!("<br><small>→ {}</small>", esc(&clean(a)))
        });
        let _ = write!(
            o,
            "<tr><td class=\"{cls}\">{status}</td><td>{}</td><td>{}</td><td>{}{advice}</td></tr>",
            esc(c.area),
            esc(&clean(&c.check)),
            esc(&clean(&c.detail)),
        );
    }
    let _ = write!(
        o,
        "</table><p>{problems} problems, {warnings} warnings. \
         <a href=\"/camera/{u}\">Back to {n}</a></p></section>",
        n = esc(&slot.name),
        u = path_name(&slot.name)
    );
    Ok(page(&format!("Doctor: {}", slot.name), &o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_stream_uri_has_no_credentials_and_no_placeholder_for_them() {
        assert_eq!(
            copyable("rtsp://admin:pa@ss@192.0.2.5:554/Streaming/101"),
            "rtsp://192.0.2.5:554/Streaming/101"
        );
        assert_eq!(
            with_user(&copyable("rtsp://admin:secret@192.0.2.5/s"), "viewer").as_deref(),
            Some("rtsp://viewer@192.0.2.5/s")
        );
        let c = copyable("rtsp://192.0.2.5/live?user=admin&password=secret");
        assert!(
            !c.contains("secret") && c.starts_with("rtsp://192.0.2.5/live?user=admin"),
            "{c}"
        );
    }
}
