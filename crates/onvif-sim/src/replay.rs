//! A recording (HAR) served as a camera (`onvif sim --replay FILE`): each request is
//! answered with what the recorded camera answered to the same question.
//!
//! A question is the path, the operation (the Body's first element, by namespace and local
//! name) and its fields (the tokens it names and its other values); a request that matches
//! no recorded one exactly gets the answer to the most alike.
//! Several recorded answers to one question are given in their recorded order, the last
//! one again after that. An operation never recorded gets the `ActionNotSupported` fault a
//! camera sends. The recorded camera's own addresses in an answer (`http://192.0.2.7/onvif/…`)
//! become the replay's, so clients come back to it. Authentication is the simulator's own,
//! with its credentials; an operation the camera answered without credentials is answered
//! without them here too.
//!
//! Events: the notifications a recorded pull point delivered are given again on their
//! recorded timeline (from the subscription's creation; faster with a speed), through
//! PullMessages, which waits as long as the recorded camera held an empty pull (or the
//! request's timeout, if shorter), and, when the recording has a Subscribe answer, posted to
//! a push subscriber's consumer. The clock runs at the recorded camera's offset.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use onvif_proto::ops::events::NotificationMessage;
use tokio::time::Instant;

use onvif_proto::Error;
use onvif_proto::har::{self, Har};
use onvif_proto::xml::Element;

/// One recorded answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
}

/// The recorded answers to one operation at one path.
#[derive(Debug)]
struct Question {
    path: String,
    ns: Option<String>,
    op: String,
    keys: Vec<(String, String)>,
    /// The camera answered it without credentials.
    open: bool,
    answers: Vec<Answer>,
}

/// A recording, ready to answer.
#[derive(Debug)]
pub struct Replay {
    questions: Vec<Question>,
    /// GET paths (a snapshot URL) and their answers.
    gets: BTreeMap<String, Vec<Answer>>,
    /// The GET paths the camera guarded: it answered one with 401, or was sent credentials.
    guarded_gets: std::collections::BTreeSet<String>,
    /// The recorded camera's origins (`http://192.0.2.7:80`), longest first.
    origins: Vec<String>,
    /// How many times each question (by index) was asked.
    asked: Mutex<BTreeMap<usize, usize>>,
    /// What the recording says it is.
    pub(crate) summary: String,
    /// Recorded notifications, by when they arrived after the subscription was created.
    timeline: Vec<(Duration, NotificationMessage)>,
    /// How long the camera held a PullMessages that brought nothing.
    hold: Option<Duration>,
    /// When the current subscription was created, and the next notification to give.
    cursor: Mutex<Option<(Instant, usize)>>,
    /// How much faster than recorded the timeline runs.
    speed: f64,
    /// The recorded camera's clock minus the recording machine's, in seconds.
    clock_offset: Option<i64>,
    /// The recorded client authenticated with HTTP Digest somewhere.
    pub digest_seen: bool,
    /// It sent WS-Security somewhere.
    pub wsse_seen: bool,
    /// Push timelines being posted now (at most [`MAX_PUSHES`]).
    pushing: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// How many push subscribers a replay posts its timeline to at once, as a camera keeps a
/// few subscriptions: each Subscribe past them is answered (as recorded) but given nothing.
pub const MAX_PUSHES: usize = 32;

/// A push timeline's place among [`Replay::pushing`], given up when it ends.
struct Pushing(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Pushing {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Replay {
    /// Read a recording. It must hold at least one answer from the device service (a
    /// GetSystemDateAndTime, GetDeviceInformation, GetCapabilities or GetServices): without
    /// one no client can start.
    pub fn from_har(har: &Har) -> Result<Replay, Error> {
        let mut questions: Vec<Question> = Vec::new();
        let mut gets: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
        let mut guarded_gets = std::collections::BTreeSet::new();
        let mut origins: Vec<String> = Vec::new();
        let (mut digest_seen, mut wsse_seen) = (false, false);
        for (i, e) in har.log.entries.iter().enumerate() {
            // Which proofs the camera accepted for SOAP: a Digest header, or WS-Security
            // alone. A GET (a snapshot) is guarded on its own: its Digest says nothing of
            // what the SOAP services take.
            let answered = (200..300).contains(&e.response.status)
                && e.request.method.eq_ignore_ascii_case("POST");
            let digest = e
                .http_auth()
                .is_some_and(|s| s.eq_ignore_ascii_case("digest"));
            digest_seen |= answered && digest;
            wsse_seen |= answered && e.ws_security() && e.http_auth().is_none();
            // A GET the camera answered with 401, or was sent credentials for, is guarded
            // (its 401 is no answer to keep, but says so).
            if e.request.method.eq_ignore_ascii_case("GET")
                && (e.response.status == 401 || e.authenticated())
            {
                guarded_gets.insert(e.path());
            }
            // A 401 is one leg of an authentication, not an answer; 0 is no answer at all; a
            // refused login is the replay's own to give.
            if e.response.status == 0 || e.response.status == 401 || refused(e) {
                continue;
            }
            if let Some(o) = har::origin_of(&e.request.url)
                && !origins.iter().any(|x| x == o)
            {
                origins.push(o.to_owned());
            }
            let body = e
                .response
                .content
                .bytes()
                .map_err(|err| Error::Recording(format!("log.entries[{i}]: {err}")))?;
            let answer = Answer {
                status: e.response.status,
                content_type: e.response.content.mime_type.clone(),
                body,
            };
            let path = e.path();
            if e.request.method.eq_ignore_ascii_case("GET") {
                gets.entry(path).or_default().push(answer);
                continue;
            }
            let Some(op) = e.soap_request() else {
                continue;
            };
            let keys = har::request_fields(&op);
            let ns = op.ns.as_deref().map(str::to_owned);
            let open = !e.authenticated() && (200..300).contains(&e.response.status);
            match questions
                .iter_mut()
                .find(|q| q.path == path && q.op == op.name && q.ns == ns && q.keys == keys)
            {
                Some(q) => {
                    q.open &= open;
                    q.answers.push(answer);
                }
                None => questions.push(Question {
                    path,
                    ns,
                    op: op.name.clone(),
                    keys,
                    open,
                    answers: vec![answer],
                }),
            }
        }
        const DEVICE_OPS: [&str; 4] = [
            "GetSystemDateAndTime",
            "GetDeviceInformation",
            "GetCapabilities",
            "GetServices",
        ];
        if !questions.iter().any(|q| {
            q.ns.as_deref() == Some(onvif_proto::ns::TDS)
                && DEVICE_OPS.contains(&q.op.as_str())
                && q.answers.iter().any(|a| a.status == 200)
        }) {
            return Err(Error::Recording(format!(
                "the recording has no answer from the device service ({}): nothing a client \
                 could start from ({} exchanges in it)",
                DEVICE_OPS.join(", "),
                har.log.entries.len()
            )));
        }
        // A camera may write its default port out in the addresses it gives.
        for o in origins.clone() {
            let port = if o.starts_with("https://") { 443 } else { 80 };
            if !o[o.find("://").map_or(0, |i| i + 3)..].contains(':') {
                origins.push(format!("{o}:{port}"));
            }
        }
        origins.sort_by_key(|o| std::cmp::Reverse(o.len()));
        let (timeline, hold) = timeline(har);
        let clock_offset = clock_offset(har);
        let info = har.log.onvif.clone().unwrap_or_default();
        let summary = format!(
            "{} exchanges recorded by {} {}{}",
            har.log.entries.len(),
            if har.log.creator.name.is_empty() {
                "an unknown tool"
            } else {
                &har.log.creator.name
            },
            har.log.creator.version,
            match (&info.manufacturer, &info.model, &info.firmware) {
                (Some(m), Some(model), Some(f)) => format!(" from {m} {model}, firmware {f}"),
                _ => String::new(),
            }
        );
        Ok(Replay {
            questions,
            gets,
            guarded_gets,
            origins,
            asked: Mutex::new(BTreeMap::new()),
            timeline,
            hold,
            cursor: Mutex::new(None),
            speed: 1.0,
            clock_offset,
            summary,
            digest_seen,
            wsse_seen,
            pushing: std::sync::Arc::default(),
        })
    }

    /// Which recorded question `op` posted to `path` is, with its index: the same operation,
    /// at this path first, then anywhere; the most key fields alike.
    fn question(&self, path: &str, op: &Element) -> Option<(usize, &Question)> {
        let ns = op.ns.as_deref();
        let keys = har::request_fields(op);
        let score = |q: &Question| {
            let alike = q.keys.iter().filter(|k| keys.contains(k)).count();
            (q.path == path, q.keys == keys, alike)
        };
        self.questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.op == op.name && q.ns.as_deref() == ns)
            .max_by_key(|(i, q)| (score(q), std::cmp::Reverse(*i)))
    }

    /// Whether the recorded camera answered `op` posted to `path` without credentials (an
    /// operation never recorded needs them). No answer is taken: a request refused after
    /// this leaves the question's next answer to the request that passes.
    pub(crate) fn open(&self, path: &str, op: &Element) -> bool {
        self.question(path, op).is_some_and(|(_, q)| q.open)
    }

    /// The next recorded answer to `op` posted to `path`, its addresses made `base`'s
    /// (`http://127.0.0.1:PORT`); the one after is given next time. `None`: never recorded.
    pub(crate) fn answer(&self, path: &str, op: &Element, base: &str) -> Option<Answer> {
        let (index, q) = self.question(path, op)?;
        let n = {
            let mut asked = self.asked.lock().unwrap_or_else(|e| e.into_inner());
            let n = asked.entry(index).or_default();
            *n += 1;
            *n - 1
        };
        let mut answer = q.answers[n.min(q.answers.len() - 1)].clone();
        answer.body = self.rebase(&answer.body, base);
        Some(answer)
    }

    /// Run the recorded events `speed` times faster (at least 0.01).
    pub fn with_speed(mut self, speed: f64) -> Self {
        self.speed = speed.max(0.01);
        self
    }

    /// The recorded camera's clock minus the recording machine's, in whole seconds, when the
    /// recording holds a GetSystemDateAndTime answer.
    pub fn clock_offset_secs(&self) -> Option<i64> {
        self.clock_offset
    }

    /// Whether recorded notifications are given from their timeline.
    pub(crate) fn has_timeline(&self) -> bool {
        !self.timeline.is_empty() || self.hold.is_some()
    }

    /// A push subscription to `consumer` was answered: the recorded notifications are posted
    /// to it on their timeline, from now, each as a `Notify` (to a consumer this camera
    /// delivers to: see [`crate::events::Consumer::parse`]; `bound` is the camera's address).
    pub(crate) fn push_to(&self, consumer: &str, bound: std::net::IpAddr) {
        let target = match crate::events::Consumer::parse(consumer, bound) {
            Ok(t) => t,
            Err(why) => {
                tracing::info!("replay: not delivering to {consumer:?}: {why}");
                return;
            }
        };
        let pushing = std::sync::Arc::clone(&self.pushing);
        if pushing.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_PUSHES {
            pushing.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            tracing::info!(
                "replay: not delivering to {consumer:?}: {MAX_PUSHES} push subscribers already"
            );
            return;
        }
        let place = Pushing(pushing);
        let timeline = self.timeline.clone();
        let speed = self.speed;
        tokio::spawn(async move {
            let _place = place;
            let (tx, rx) = tokio::sync::mpsc::channel(crate::events::PUSH_QUEUE_CAP);
            // A subscriber gone for three deliveries in a row gives its place back.
            tokio::spawn(crate::events::deliver(target, rx, Some(3)));
            let start = Instant::now();
            for (at, m) in timeline {
                tokio::time::sleep_until(start + at.div_f64(speed)).await;
                if tx.send(m).await.is_err() {
                    return;
                }
            }
        });
    }

    /// A subscription was created: its timeline starts now.
    pub(crate) fn subscribed(&self) {
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), 0));
    }

    /// The notifications due, at most `limit`, waiting for one until `timeout` (or the
    /// recorded hold, if shorter) has passed.
    pub(crate) async fn pull(&self, timeout: Duration, limit: usize) -> Vec<NotificationMessage> {
        let deadline = Instant::now() + self.hold.map_or(timeout, |h| h.min(timeout));
        loop {
            let (created, next) = {
                let mut c = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
                *c.get_or_insert((Instant::now(), 0))
            };
            let elapsed = created.elapsed().mul_f64(self.speed);
            let due: Vec<NotificationMessage> = self.timeline[next.min(self.timeline.len())..]
                .iter()
                .take_while(|(at, _)| *at <= elapsed)
                .take(limit.max(1))
                .map(|(_, m)| m.clone())
                .collect();
            if !due.is_empty() {
                let mut c = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, n)) = c.as_mut() {
                    *n = next + due.len();
                }
                return due;
            }
            let now = Instant::now();
            if now >= deadline {
                return Vec::new();
            }
            let next_due = self
                .timeline
                .get(next)
                .map(|(at, _)| created + at.div_f64(self.speed));
            let wake = next_due.map_or(deadline, |d| d.min(deadline));
            tokio::time::sleep_until(wake.max(now + Duration::from_millis(1))).await;
        }
    }

    /// What the recording says it is: how many exchanges, by which tool, from which camera.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The recorded answer to a GET of `path`, if any.
    pub(crate) fn get(&self, path: &str) -> Option<Answer> {
        self.gets.get(path).and_then(|a| a.last()).cloned()
    }

    /// Did the camera want credentials for a GET of `path`? Then the replay does too.
    pub(crate) fn get_is_guarded(&self, path: &str) -> bool {
        self.guarded_gets.contains(path)
    }

    /// The recorded camera's addresses in `body` made `base`'s; in an address the camera
    /// got wrong (another host, `0.0.0.0`), only the port is changed, so the replay keeps the
    /// camera's mistake and a client can still repair it to the replay.
    fn rebase(&self, body: &[u8], base: &str) -> Vec<u8> {
        let Ok(text) = std::str::from_utf8(body) else {
            return body.to_vec();
        };
        let mut t = text.to_owned();
        for o in &self.origins {
            t = har::replace_origin(&t, o, base);
        }
        let new_port = base.rsplit(':').next().unwrap_or("");
        if !new_port.is_empty() && new_port.bytes().all(|b| b.is_ascii_digit()) {
            for o in &self.origins {
                let after = &o[o.find("://").map_or(0, |i| i + 3)..];
                if let Some((_, port)) = after.rsplit_once(':')
                    && port != new_port
                {
                    t = t.replace(&format!(":{port}/"), &format!(":{new_port}/"));
                }
            }
        }
        t.into_bytes()
    }
}

/// An entry's `time` (milliseconds) as a duration. A time no duration holds (negative, or
/// `1e300`) counts as none, and the log says so.
fn took(e: &har::Entry) -> Duration {
    Duration::try_from_secs_f64(e.time / 1000.0).unwrap_or_else(|_| {
        tracing::warn!(
            time = e.time,
            started = %e.started_date_time,
            "a recorded exchange's time is not a duration: taken as 0"
        );
        Duration::ZERO
    })
}

/// `start` plus `d`, when that is a time.
fn after(start: jiff::Timestamp, d: Duration) -> Option<jiff::Timestamp> {
    start
        .checked_add(jiff::SignedDuration::try_from(d).ok()?)
        .ok()
}

/// When an entry's answer arrived.
fn arrived(e: &har::Entry) -> Option<jiff::Timestamp> {
    after(e.started_date_time.parse().ok()?, took(e))
}

/// The recorded notifications by when they arrived after the first pull point was created,
/// and how long an empty pull was held.
fn timeline(h: &Har) -> (Vec<(Duration, NotificationMessage)>, Option<Duration>) {
    use onvif_proto::ns::TEV;
    use onvif_proto::ops::events::PullMessages;
    use onvif_proto::ops::read_response;
    let ok = |e: &&har::Entry, name: &str| {
        e.response.status == 200 && e.soap_request().is_some_and(|op| op.is(TEV, name))
    };
    let Some(created) = h
        .log
        .entries
        .iter()
        .find(|e| ok(e, "CreatePullPointSubscription"))
        .and_then(|e| e.started_date_time.parse::<jiff::Timestamp>().ok())
    else {
        return (Vec::new(), None);
    };
    let mut out = Vec::new();
    let mut hold: Option<Duration> = None;
    for e in h.log.entries.iter().filter(|e| ok(e, "PullMessages")) {
        let Ok(body) = e.response.content.bytes() else {
            continue;
        };
        let Ok(env) = onvif_proto::Envelope::parse(&body) else {
            continue;
        };
        let Ok(r) = read_response::<PullMessages>(&env) else {
            continue;
        };
        if r.messages.is_empty() {
            let held = took(e);
            hold = Some(hold.map_or(held, |h| h.max(held)));
            continue;
        }
        let at = arrived(e)
            .and_then(|t| Duration::try_from(t.duration_since(created)).ok())
            .unwrap_or_default();
        out.extend(r.messages.into_iter().map(|m| (at, m)));
    }
    out.sort_by_key(|(at, _)| *at);
    (out, hold)
}

/// The recorded camera's clock offset: its GetSystemDateAndTime answer against the middle of
/// the exchange on the recording machine's clock.
fn clock_offset(h: &Har) -> Option<i64> {
    use onvif_proto::ops::device::GetSystemDateAndTime;
    use onvif_proto::ops::read_response;
    h.log.entries.iter().find_map(|e| {
        let op = e.soap_request()?;
        if !op.is(onvif_proto::ns::TDS, "GetSystemDateAndTime") || e.response.status != 200 {
            return None;
        }
        let body = e.response.content.bytes().ok()?;
        let env = onvif_proto::Envelope::parse(&body).ok()?;
        let camera = read_response::<GetSystemDateAndTime>(&env)
            .ok()?
            .utc_timestamp()?;
        let middle = after(e.started_date_time.parse().ok()?, took(e) / 2)?;
        Some(camera.duration_since(middle).as_secs_f64().round() as i64)
    })
}

/// A refused login: an HTTP 401, or a Fault that says the sender is not authorized.
fn refused(e: &har::Entry) -> bool {
    e.response.status == 401
        || (e.response.status >= 400
            && e.response
                .content
                .text
                .as_deref()
                .is_some_and(|t| t.contains("NotAuthorized")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use onvif_proto::Message;
    use onvif_proto::ns::{TDS, TEV};
    use onvif_proto::ops::device::{DateTime, DateTimeType, SystemDateAndTime};
    use onvif_proto::ops::events::PullMessagesResponse;

    use super::*;

    const DEVICE: &str = "/onvif/device_service";

    /// A SOAP 1.2 answer holding `m`.
    fn answer_of<M: Message>(m: &M) -> String {
        let mut w = onvif_proto::xml::Writer::with_capacity(1024);
        m.write(&mut w);
        onvif_proto::soap::envelope(None, &w.finish())
    }

    /// `op` of the namespace `ns` posted to the recorded camera (http://192.0.2.1) at
    /// `started`, with Digest credentials, answered with `answer` after `time` ms.
    fn exchange(ns: &str, op: &str, started: &str, time: f64, answer: &str) -> har::Entry {
        let request = format!(
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><{op} xmlns="{ns}"/></s:Body></s:Envelope>"#
        );
        har::Entry {
            started_date_time: started.into(),
            time,
            request: har::Request {
                method: "POST".into(),
                url: format!("http://192.0.2.1{DEVICE}"),
                http_version: "HTTP/1.1".into(),
                headers: vec![har::Header::new(
                    "Authorization",
                    r#"Digest username="admin", response="[redacted]""#,
                )],
                query_string: Vec::new(),
                cookies: Vec::new(),
                headers_size: -1,
                body_size: request.len() as i64,
                post_data: Some(har::PostData {
                    mime_type: "application/soap+xml".into(),
                    text: request,
                }),
            },
            response: har::Response {
                status: 200,
                status_text: "OK".into(),
                http_version: "HTTP/1.1".into(),
                headers: Vec::new(),
                cookies: Vec::new(),
                content: har::Content::of("application/soap+xml", answer.as_bytes()),
                redirect_url: String::new(),
                headers_size: -1,
                body_size: answer.len() as i64,
            },
            cache: Default::default(),
            timings: Default::default(),
            onvif: None,
        }
    }

    fn replay_of(entries: Vec<har::Entry>) -> Replay {
        let mut h = Har::new("test", "1");
        h.log.entries = entries;
        Replay::from_har(&h).unwrap()
    }

    #[test]
    fn a_time_no_duration_holds_counts_as_none() {
        let camera: jiff::Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        let clock = SystemDateAndTime {
            date_time_type: DateTimeType::Ntp,
            daylight_savings: false,
            time_zone: None,
            utc: Some(DateTime::from_timestamp(camera)),
            local: None,
        };
        let empty = PullMessagesResponse {
            current_time: None,
            termination_time: None,
            messages: Vec::new(),
        };
        for time in [1e300, -5.0] {
            let r = replay_of(vec![
                exchange(
                    TDS,
                    "GetSystemDateAndTime",
                    "2026-01-01T11:59:00Z",
                    time,
                    &answer_of(&clock),
                ),
                exchange(
                    TEV,
                    "CreatePullPointSubscription",
                    "2026-01-01T11:59:01Z",
                    time,
                    "<x/>",
                ),
                exchange(
                    TEV,
                    "PullMessages",
                    "2026-01-01T11:59:02Z",
                    time,
                    &answer_of(&empty),
                ),
            ]);
            assert_eq!(r.clock_offset_secs(), Some(60), "time {time}");
            assert_eq!(r.hold, Some(Duration::ZERO), "time {time}");
        }
    }

    #[test]
    fn only_the_recorded_camera_s_own_addresses_become_the_replay_s() {
        let body = "<a>http://192.0.2.1/onvif/media</a><b>http://192.0.2.1:80/onvif/ptz</b>\
                    <c>http://192.0.2.1:8080/snap.jpg</c><d>http://192.0.2.10/x</d>\
                    <e>http://192.0.2.1</e>";
        let r = replay_of(vec![exchange(
            TDS,
            "GetDeviceInformation",
            "2026-01-01T12:00:00Z",
            1.0,
            body,
        )]);
        let got = String::from_utf8(r.rebase(body.as_bytes(), "http://127.0.0.1:5000")).unwrap();
        assert_eq!(
            got,
            "<a>http://127.0.0.1:5000/onvif/media</a><b>http://127.0.0.1:5000/onvif/ptz</b>\
             <c>http://192.0.2.1:8080/snap.jpg</c><d>http://192.0.2.10/x</d>\
             <e>http://127.0.0.1:5000</e>"
        );
    }

    #[tokio::test]
    async fn push_subscribers_past_the_cap_are_given_nothing() {
        use std::sync::atomic::Ordering::SeqCst;
        let r = replay_of(vec![exchange(
            TDS,
            "GetDeviceInformation",
            "2026-01-01T12:00:00Z",
            1.0,
            "<x/>",
        )]);
        let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
        r.pushing.store(MAX_PUSHES, SeqCst);
        r.push_to("http://127.0.0.1:9/x", loopback);
        assert_eq!(
            r.pushing.load(SeqCst),
            MAX_PUSHES,
            "no place taken past the cap"
        );
        // Below it: a place is taken, and given back when the (empty) timeline is done.
        r.pushing.store(0, SeqCst);
        r.push_to("http://127.0.0.1:9/x", loopback);
        assert_eq!(r.pushing.load(SeqCst), 1);
        let given_back = async {
            while r.pushing.load(SeqCst) > 0 {
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(Duration::from_secs(10), given_back)
            .await
            .unwrap();
        // A consumer this camera does not deliver to takes no place.
        r.push_to("http://192.0.2.7/x", loopback);
        assert_eq!(r.pushing.load(SeqCst), 0);
    }

    #[test]
    fn a_snapshot_fetched_with_digest_says_nothing_of_how_soap_authenticates() {
        let mut soap = exchange(
            TDS,
            "GetDeviceInformation",
            "2026-01-01T12:00:00Z",
            1.0,
            "<x/>",
        );
        soap.request.headers.clear();
        soap.request.post_data = Some(har::PostData {
            mime_type: "application/soap+xml".into(),
            text: format!(
                r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security xmlns="{}"/></s:Header><s:Body><GetDeviceInformation xmlns="{TDS}"/></s:Body></s:Envelope>"#,
                onvif_proto::ns::WSSE
            ),
        });
        let mut snapshot = exchange(TDS, "-", "2026-01-01T12:00:01Z", 1.0, "");
        snapshot.request.method = "GET".into();
        snapshot.request.url = "http://192.0.2.1/onvif/snapshot.jpg".into();
        snapshot.request.post_data = None;
        snapshot.response.content = har::Content::of("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xD9]);
        let r = replay_of(vec![soap, snapshot]);
        assert!(r.wsse_seen);
        assert!(!r.digest_seen, "the snapshot's Digest counted for SOAP");
        assert!(r.guarded_gets.contains("/onvif/snapshot.jpg"));
    }

    #[test]
    fn asking_whether_a_question_is_open_takes_no_answer() {
        let info = |fw: &str| {
            exchange(
                TDS,
                "GetDeviceInformation",
                "2026-01-01T12:00:00Z",
                1.0,
                &format!("<fw>{fw}</fw>"),
            )
        };
        let r = replay_of(vec![info("A"), info("B")]);
        assert!(r.digest_seen);
        let op = Element::new(Some(TDS), "GetDeviceInformation");
        let base = "http://127.0.0.1:5000";
        assert!(!r.open(DEVICE, &op));
        assert!(!r.open(DEVICE, &op));
        let bodies: Vec<String> = (0..3)
            .map(|_| String::from_utf8(r.answer(DEVICE, &op, base).unwrap().body).unwrap())
            .collect();
        assert_eq!(bodies, ["<fw>A</fw>", "<fw>B</fw>", "<fw>B</fw>"]);
    }
}
