//! `onvif ui`: the real binary serving the browser UI on loopback, driven over HTTP against
//! simulated cameras on 127.0.0.1: every route, its answers and its refusals. What the pages
//! do in a real browser (their JavaScript) is tested in `ui/browser.rs`.
#![allow(clippy::unwrap_used)]

mod browser;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Stdio};

use onvif_testkit::{PASSWORD, Sim, cli, scratch_dir};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, LOCATION, ORIGIN, SET_COOKIE};

mod cameras;
mod configure;
mod maintenance;
mod reports;
mod security;

/// `onvif ui` running, its URL and its login token (when it printed one).
struct Ui {
    /// `None` once [`Ui::interrupt`] waited for its end.
    child: Option<Child>,
    /// Kept open, so that the server can still write to its standard output.
    _stdout: BufReader<ChildStdout>,
    url: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Drop for Ui {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A home whose config names `sim` as camera `sim` (mode 600: it holds the password).
fn home_with(sim: &Sim) -> std::path::PathBuf {
    let home = scratch_dir("ui");
    let dir = home.join("config").join("onvif");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[cameras.sim]\nhost = \"{}\"\nuser = \"{}\"\npassword = \"{}\"\n",
            sim.host(),
            sim.user(),
            sim.password()
        ),
    )
    .unwrap();
    chmod600(&path);
    home
}

#[cfg(unix)]
fn chmod600(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
}

impl Ui {
    /// `onvif ui` on loopback that finds the discoverable simulator `h` by unicast.
    fn start_finding(home: &Path, h: &Sim) -> Ui {
        let disc = h.discovery_addr().unwrap().to_string();
        Ui::start(
            home,
            &["--bind", "127.0.0.1:0", "--discover-unicast", &disc],
        )
    }

    fn start(home: &Path, args: &[&str]) -> Ui {
        let mut all = vec!["ui"];
        all.extend_from_slice(args);
        Ui::run(home, &all)
    }

    /// Any command that serves a UI and prints its URL first (and a login token next when
    /// bound beyond loopback).
    fn run(home: &Path, all: &[&str]) -> Ui {
        let mut child = cli!()
            .home(home)
            .command(all)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line.trim().trim_end_matches('/').to_owned();
        assert!(url.starts_with("http://"), "first line: {line:?}");
        assert!(!url.ends_with(":0"), "the real port is shown: {url}");
        let token = if url.starts_with("http://127.0.0.1:") {
            None
        } else {
            let mut l = String::new();
            out.read_line(&mut l).unwrap();
            l.trim().strip_prefix("Login token: ").map(str::to_owned)
        };
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Ui {
            child: Some(child),
            _stdout: out,
            url,
            token,
            http,
        }
    }

    /// A request to stop: Ctrl-C as a terminal sends it (`INT`), or a service manager's
    /// (`TERM`); how the process ended, which it must within 30 s.
    async fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("still running");
        let pid = child.id();
        assert!(onvif_testkit::signal(pid, signal));
        let waited = tokio::task::spawn_blocking(move || child.wait());
        match tokio::time::timeout(std::time::Duration::from_secs(30), waited).await {
            Ok(status) => status.unwrap().unwrap(),
            Err(_) => {
                onvif_testkit::signal(pid, "KILL");
                panic!("`onvif ui` still runs 30 s after {signal}");
            }
        }
    }

    /// Log in with the printed token: the session cookie (`name=value`).
    async fn login(&self) -> String {
        let token = self.token.as_deref().expect("a login token is printed");
        let (s, h, b) = self.post("/login", &format!("token={token}")).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
        let cookie = h[SET_COOKIE].to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    /// GET with a session cookie: the status and the body.
    async fn get_as(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.url))
            .header(COOKIE, HeaderValue::from_str(cookie).unwrap())
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn get(&self, path: &str) -> (StatusCode, HeaderMap, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        let (s, h) = (r.status(), r.headers().clone());
        (
            s,
            h,
            String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
        )
    }

    /// POST a form with our own Origin, as the UI's pages do.
    async fn post(&self, path: &str, form: &str) -> (StatusCode, HeaderMap, String) {
        self.post_from(path, form, Some(&self.url)).await
    }

    async fn post_from(
        &self,
        path: &str,
        form: &str,
        origin: Option<&str>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        let r = req.send().await.unwrap();
        let (s, h) = (r.status(), r.headers().clone());
        (
            s,
            h,
            String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
        )
    }
}

/// Read an event feed until a line satisfies `pred` (within 10 s): all that was read.
async fn feed_until(
    resp: &mut reqwest::Response,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> String {
    let mut seen = String::new();
    let read = async {
        while !seen.lines().any(&pred) {
            let chunk = resp.chunk().await.unwrap().expect("the feed ended");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    if tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .is_err()
    {
        panic!("no {what} in the feed within 10 s");
    }
    seen
}

/// A feed line saying motion is on.
fn motion_on(l: &str) -> bool {
    l.starts_with("data: ") && l.contains("\"active\":true") && l.contains("Motion")
}

fn no_password(body: &str, what: &str) {
    assert!(
        !body.contains(PASSWORD),
        "{what}: the camera password is in the answer"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
