//! A recording (HAR) served as a camera (`onvif sim --replay FILE`): each request is
//! answered with what the recorded camera answered to the same question.
//!
//! A question is the path, the operation (the Body's first element, by namespace and local
//! name) and its key fields (the tokens it names: profile, configuration, preset, source).
//! Several recorded answers to one question are given in their recorded order, the last
//! one again after that. An operation never recorded gets the `ActionNotSupported` fault a
//! camera sends. The recorded camera's own addresses in an answer (`http://192.0.2.7/onvif/…`)
//! become the replay's, so clients come back to it. Authentication is the simulator's own,
//! with its credentials; an operation the camera answered without credentials is answered
//! without them here too.

use std::collections::BTreeMap;
use std::sync::Mutex;

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
    /// The recorded camera's origins (`http://192.0.2.7:80`), longest first.
    origins: Vec<String>,
    /// How many times each question (by index) was asked.
    asked: Mutex<BTreeMap<usize, usize>>,
    /// What the recording says it is.
    pub(crate) summary: String,
    /// The recorded client authenticated with HTTP Digest somewhere.
    pub digest_seen: bool,
    /// It sent WS-Security somewhere.
    pub wsse_seen: bool,
}

/// A recorded answer to give, and whether the question needs no credentials.
pub(crate) struct Found {
    pub(crate) answer: Answer,
    pub(crate) open: bool,
}

impl Replay {
    /// Read a recording. It must hold at least one answer from the device service (a
    /// GetSystemDateAndTime, GetDeviceInformation, GetCapabilities or GetServices): without
    /// one no client can start.
    pub fn from_har(har: &Har) -> Result<Replay, Error> {
        let mut questions: Vec<Question> = Vec::new();
        let mut gets: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
        let mut origins: Vec<String> = Vec::new();
        let (mut digest_seen, mut wsse_seen) = (false, false);
        for (i, e) in har.log.entries.iter().enumerate() {
            digest_seen |= e
                .http_auth()
                .is_some_and(|s| s.eq_ignore_ascii_case("digest"));
            wsse_seen |= e.ws_security();
            // A 401 is one leg of an authentication, not an answer; 0 is no answer at all.
            if e.response.status == 0 || e.response.status == 401 {
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
            let keys = har::key_fields(&op);
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
                (Some(m), Some(model), Some(f)) => format!(" from a {m} {model}, firmware {f}"),
                _ => String::new(),
            }
        );
        Ok(Replay {
            questions,
            gets,
            origins,
            asked: Mutex::new(BTreeMap::new()),
            summary,
            digest_seen,
            wsse_seen,
        })
    }

    /// The recorded answer to `op` posted to `path`, its addresses made `base`'s
    /// (`http://127.0.0.1:PORT`). `None`: never recorded.
    pub(crate) fn answer(&self, path: &str, op: &Element, base: &str) -> Option<Found> {
        let ns = op.ns.as_deref();
        let keys = har::key_fields(op);
        // The same operation: at this path first, then anywhere; the most key fields alike.
        let score = |q: &Question| {
            let alike = q.keys.iter().filter(|k| keys.contains(k)).count();
            (q.path == path, q.keys == keys, alike)
        };
        let (index, q) = self
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.op == op.name && q.ns.as_deref() == ns)
            .max_by_key(|(i, q)| (score(q), std::cmp::Reverse(*i)))?;
        let n = {
            let mut asked = self.asked.lock().unwrap_or_else(|e| e.into_inner());
            let n = asked.entry(index).or_default();
            *n += 1;
            *n - 1
        };
        let mut answer = q.answers[n.min(q.answers.len() - 1)].clone();
        answer.body = self.rebase(&answer.body, base);
        Some(Found {
            answer,
            open: q.open,
        })
    }

    /// What the recording says it is: how many exchanges, by which tool, from which camera.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The recorded answer to a GET of `path`, if any.
    pub(crate) fn get(&self, path: &str) -> Option<Answer> {
        self.gets.get(path).and_then(|a| a.last()).cloned()
    }

    /// The recorded camera's addresses in `body` made `base`'s.
    fn rebase(&self, body: &[u8], base: &str) -> Vec<u8> {
        let Ok(text) = std::str::from_utf8(body) else {
            return body.to_vec();
        };
        let mut t = text.to_owned();
        for o in &self.origins {
            t = t.replace(o.as_str(), base);
        }
        t.into_bytes()
    }
}
