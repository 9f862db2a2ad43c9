//! A small MQTT 3.1.1 broker on a local socket, for `onvif demo` and for trying the bridge
//! without installing one: retained messages, `+` and `#` filters, last wills, QoS 0 and 1 from
//! publishers (acknowledged), delivery to subscribers at QoS 0. No authentication, no
//! persistence, no QoS 2: run mosquitto (or any broker) for real use.
//!
//! Packets are read and written by rumqttc's own codec and topics matched by its `matches`,
//! so only the routing is here. (An embedded rumqttd would have added its HTTP console, config
//! loader and metrics exporter to the binary: several megabytes for a demo.)

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::BytesMut;
use rumqttc::{
    ConnAck, ConnectReturnCode, Packet, PubAck, Publish, QoS, SubAck, SubscribeReasonCode,
    UnsubAck, matches, valid_filter,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::util::lock;

/// The largest packet accepted or sent (snapshots pass through).
const MAX_PACKET: usize = 16 * 1024 * 1024;
/// Messages waiting for one slow subscriber before more are dropped for it.
const PER_CLIENT_QUEUE: usize = 4096;

#[derive(Default)]
struct State {
    next_id: u64,
    clients: HashMap<u64, Client>,
    retained: BTreeMap<String, Publish>,
}

struct Client {
    filters: Vec<String>,
    tx: mpsc::Sender<Packet>,
}

impl State {
    /// Deliver to every subscriber whose filter matches; keep it when retained.
    fn route(&mut self, p: &Publish) {
        if p.retain {
            if p.payload.is_empty() {
                self.retained.remove(&p.topic);
            } else {
                let mut kept = p.clone();
                kept.qos = QoS::AtMostOnce;
                kept.pkid = 0;
                self.retained.insert(p.topic.clone(), kept);
            }
        }
        let mut out = p.clone();
        out.qos = QoS::AtMostOnce;
        out.pkid = 0;
        out.retain = false;
        out.dup = false;
        for c in self.clients.values() {
            if c.filters.iter().any(|f| matches(&p.topic, f)) {
                let _ = c.tx.try_send(Packet::Publish(out.clone()));
            }
        }
    }
}

/// A running broker; stopped when dropped.
#[derive(Debug)]
pub struct LocalBroker {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl LocalBroker {
    /// Listen on `bind` (port 0: the system chooses).
    pub async fn start(bind: SocketAddr) -> std::io::Result<LocalBroker> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, Arc::clone(&state)));
            }
        });
        Ok(LocalBroker { addr, task })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `mqtt://ADDR`.
    pub fn url(&self) -> String {
        format!("mqtt://{}", self.addr)
    }
}

impl Drop for LocalBroker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Read the next packet, reading more bytes as needed; `None` at the end or on bad input.
async fn next_packet(stream: &mut TcpStream, buf: &mut BytesMut) -> Option<Packet> {
    loop {
        match Packet::read(buf, MAX_PACKET) {
            Ok(p) => return Some(p),
            Err(rumqttc::Error::InsufficientBytes(_)) => {}
            Err(_) => return None,
        }
        buf.reserve(4096);
        match stream.read_buf(buf).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

async fn send(stream: &mut TcpStream, p: &Packet) -> bool {
    let mut out = BytesMut::new();
    p.write(&mut out, MAX_PACKET).is_ok() && stream.write_all(&out).await.is_ok()
}

/// One client's connection, from its Connect to its end (its last will published unless it
/// said Disconnect).
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = BytesMut::with_capacity(4096);
    let Some(Packet::Connect(connect)) = next_packet(&mut stream, &mut buf).await else {
        return;
    };
    let ack = Packet::ConnAck(ConnAck::new(ConnectReturnCode::Success, false));
    if !send(&mut stream, &ack).await {
        return;
    }
    let (tx, mut rx) = mpsc::channel(PER_CLIENT_QUEUE);
    let id = {
        let mut st = lock(&state);
        st.next_id += 1;
        let id = st.next_id;
        st.clients.insert(
            id,
            Client {
                filters: Vec::new(),
                tx,
            },
        );
        id
    };
    let mut clean_end = false;
    loop {
        tokio::select! {
            p = next_packet(&mut stream, &mut buf) => {
                let reply = match p {
                    None => break,
                    Some(Packet::Disconnect) => { clean_end = true; break }
                    Some(Packet::Publish(p)) => {
                        if p.qos == QoS::ExactlyOnce {
                            break;
                        }
                        lock(&state).route(&p);
                        (p.qos == QoS::AtLeastOnce).then(|| Packet::PubAck(PubAck::new(p.pkid)))
                    }
                    Some(Packet::Subscribe(s)) => {
                        let codes = {
                        let mut st = lock(&state);
                        let codes = s.filters.iter().map(|f| {
                            if valid_filter(&f.path) {
                                SubscribeReasonCode::Success(QoS::AtMostOnce)
                            } else {
                                SubscribeReasonCode::Failure
                            }
                        }).collect();
                        let retained: Vec<Publish> = st.retained.values()
                            .filter(|r| s.filters.iter().any(|f| valid_filter(&f.path) && matches(&r.topic, &f.path)))
                            .cloned().collect();
                        if let Some(c) = st.clients.get_mut(&id) {
                            c.filters.extend(s.filters.iter().filter(|f| valid_filter(&f.path)).map(|f| f.path.clone()));
                            for r in retained {
                                let _ = c.tx.try_send(Packet::Publish(r));
                            }
                        }
                        codes
                        };
                        // The acknowledgement goes before the retained messages queued above.
                        if !send(&mut stream, &Packet::SubAck(SubAck::new(s.pkid, codes))).await {
                            break;
                        }
                        None
                    }
                    Some(Packet::Unsubscribe(u)) => {
                        if let Some(c) = lock(&state).clients.get_mut(&id) {
                            c.filters.retain(|f| !u.topics.contains(f));
                        }
                        Some(Packet::UnsubAck(UnsubAck::new(u.pkid)))
                    }
                    Some(Packet::PingReq) => Some(Packet::PingResp),
                    Some(_) => None,
                };
                if let Some(r) = reply
                    && !send(&mut stream, &r).await
                {
                    break;
                }
            }
            Some(out) = rx.recv() => {
                if !send(&mut stream, &out).await {
                    break;
                }
            }
        }
    }
    let mut st = lock(&state);
    st.clients.remove(&id);
    if !clean_end && let Some(w) = connect.last_will {
        let mut will = Publish::new(w.topic, w.qos, w.message.to_vec());
        will.retain = w.retain;
        st.route(&will);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rumqttc::{AsyncClient, Event, LastWill, MqttOptions};
    use std::time::Duration;

    async fn client(
        b: &LocalBroker,
        id: &str,
        will: Option<LastWill>,
    ) -> (
        AsyncClient,
        mpsc::UnboundedReceiver<Publish>,
        tokio::task::JoinHandle<()>,
    ) {
        let mut o = MqttOptions::new(id, "127.0.0.1", b.addr().port());
        o.set_keep_alive(Duration::from_secs(30));
        if let Some(w) = will {
            o.set_last_will(w);
        }
        let (c, mut el) = AsyncClient::new(o, 16);
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            while let Ok(ev) = el.poll().await {
                if let Event::Incoming(Packet::Publish(p)) = ev {
                    let _ = tx.send(p);
                }
            }
        });
        (c, rx, task)
    }

    #[tokio::test]
    async fn routes_retains_and_publishes_last_wills() {
        let b = LocalBroker::start("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let (publisher, _, connection) = client(
            &b,
            "p",
            Some(LastWill::new("a/status", "gone", QoS::AtLeastOnce, true)),
        )
        .await;
        publisher
            .publish("a/kept", QoS::AtLeastOnce, true, "v1")
            .await
            .unwrap();
        let (sub, mut rx, _) = client(&b, "s", None).await;
        sub.subscribe("a/#", QoS::AtLeastOnce).await.unwrap();
        let first = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("retained")
            .unwrap();
        assert_eq!(
            (first.topic.as_str(), &first.payload[..]),
            ("a/kept", &b"v1"[..])
        );
        publisher
            .publish("a/b/c", QoS::AtMostOnce, false, "x")
            .await
            .unwrap();
        publisher
            .publish("other", QoS::AtMostOnce, false, "no")
            .await
            .unwrap();
        assert_eq!(
            tokio::time::timeout(Duration::from_secs(5), rx.recv())
                .await
                .expect("live")
                .unwrap()
                .topic,
            "a/b/c"
        );
        // The publisher's connection dies without a Disconnect: its will goes out.
        connection.abort();
        let will = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("will")
            .unwrap();
        assert_eq!(
            (will.topic.as_str(), &will.payload[..]),
            ("a/status", &b"gone"[..])
        );
    }
}
