//! Real MQTT for tests: a broker in the test process (rumqttd, on 127.0.0.1), a subscriber
//! that records what it receives, a relay that can cut the way to the broker (the broker
//! "restarting"), and mosquitto where the machine has it.

use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

/// How long [`Subscriber::wait_for`] waits before the test fails.
pub const WAIT: Duration = Duration::from_secs(30);

/// A free port on 127.0.0.1: bound, read and released, for servers that cannot be told
/// port 0 and say which they got (rumqttd, mosquitto). Another process could take it in
/// between; the broker's start then fails loudly.
fn free_port() -> u16 {
    StdListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// Wait until something listens at `addr` (a broker started in threads or a child process
/// says nothing when it is ready).
async fn until_listening(addr: SocketAddr, what: &str) {
    for _ in 0..500 {
        if TcpStream::connect(addr).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what} did not listen on {addr} within 5 s");
}

/// An MQTT broker (rumqttd) in this process, on 127.0.0.1. It runs until the process ends.
#[derive(Debug, Clone, Copy)]
pub struct Broker {
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Broker {
    /// Start one and wait until it listens.
    pub async fn start() -> Broker {
        let port = free_port();
        let text = format!(
            r#"
id = 0
[router]
id = 0
max_connections = 10010
max_outgoing_packet_count = 200
max_segment_size = 104857600
max_segment_count = 10
[v4.1]
name = "v4-1"
listen = "127.0.0.1:{port}"
next_connection_delay_ms = 0
[v4.1.connections]
connection_timeout_ms = 60000
max_payload_size = 20971520
max_inflight_count = 500
dynamic_filters = true
"#
        );
        let config: rumqttd::Config = toml::from_str(&text).expect("the broker's config");
        std::thread::Builder::new()
            .name("mqtt-broker".into())
            .spawn(move || {
                let mut broker = rumqttd::Broker::new(config);
                if let Err(e) = broker.start() {
                    eprintln!("the test broker stopped: {e}");
                }
            })
            .expect("a thread for the broker");
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        until_listening(addr, "the test broker").await;
        Broker { addr }
    }

    /// `mqtt://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("mqtt://{}", self.addr)
    }
}

/// mosquitto on 127.0.0.1, when the machine has it (a child process, killed on drop).
#[derive(Debug)]
pub struct Mosquitto {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where it listens with TLS, when started with [`Mosquitto::start_with_tls`].
    pub tls_addr: Option<SocketAddr>,
    child: Child,
    bin: std::path::PathBuf,
    _dir: std::path::PathBuf,
}

impl Mosquitto {
    /// Where the binary is, if installed.
    pub fn binary() -> Option<std::path::PathBuf> {
        ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"]
            .into_iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.exists())
    }

    /// [`Mosquitto::start`] when it is installed. Otherwise `None`, after saying the test is
    /// skipped; but with `ONVIF_REQUIRE_MOSQUITTO` set (CI, which installs it) a missing
    /// mosquitto fails the test.
    pub async fn start_if_installed() -> Option<Mosquitto> {
        Some(Self::start(&Self::binary_if_installed()?).await)
    }

    /// [`Mosquitto::start_with_tls`] when it is installed (else as
    /// [`Mosquitto::start_if_installed`]).
    pub async fn start_with_tls_if_installed() -> Option<(Mosquitto, crate::tls::TestCa)> {
        Some(Self::start_with_tls(&Self::binary_if_installed()?).await)
    }

    fn binary_if_installed() -> Option<std::path::PathBuf> {
        match Self::binary() {
            Some(bin) => Some(bin),
            None if std::env::var_os("ONVIF_REQUIRE_MOSQUITTO").is_some() => {
                panic!("ONVIF_REQUIRE_MOSQUITTO is set but mosquitto is not installed")
            }
            None => {
                eprintln!("skipped: mosquitto is not installed (apt-get install mosquitto)");
                None
            }
        }
    }

    /// Start it on a free port of 127.0.0.1, anonymous access, and wait until it listens.
    pub async fn start(bin: &std::path::Path) -> Mosquitto {
        Self::start_inner(bin, false).await.0
    }

    /// As [`Mosquitto::start`], with a second listener that speaks TLS only
    /// ([`Mosquitto::tls_addr`]), its certificate signed by an authority made for the test.
    pub async fn start_with_tls(bin: &std::path::Path) -> (Mosquitto, crate::tls::TestCa) {
        let (m, ca) = Self::start_inner(bin, true).await;
        (m, ca.expect("the test's certificates"))
    }

    async fn start_inner(
        bin: &std::path::Path,
        tls: bool,
    ) -> (Mosquitto, Option<crate::tls::TestCa>) {
        let port = free_port();
        let dir =
            std::env::temp_dir().join(format!("onvif-mosquitto-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for mosquitto");
        let conf = dir.join("mosquitto.conf");
        let mut text =
            format!("listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        let mut ca = None;
        let mut tls_addr = None;
        if tls {
            // mosquitto started as root reads its files as the `mosquitto` user: the folder
            // and files are readable to it (a key made for this test only).
            let made = crate::tls::TestCa::create(&dir.join("tls"));
            let tls_port = free_port();
            text.push_str(&format!(
                "listener {tls_port} 127.0.0.1\ncertfile {}\nkeyfile {}\n",
                made.cert_pem.display(),
                made.key_pem.display()
            ));
            tls_addr = Some(SocketAddr::from((Ipv4Addr::LOCALHOST, tls_port)));
            ca = Some(made);
        }
        std::fs::write(&conf, text).expect("mosquitto's config");
        let child = Self::spawn(bin, &conf);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        until_listening(addr, "mosquitto").await;
        if let Some(a) = tls_addr {
            until_listening(a, "mosquitto (TLS)").await;
        }
        let m = Mosquitto {
            addr,
            tls_addr,
            child,
            bin: bin.to_path_buf(),
            _dir: dir,
        };
        (m, ca)
    }

    fn spawn(bin: &std::path::Path, conf: &std::path::Path) -> Child {
        Command::new(bin)
            .arg("-c")
            .arg(conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mosquitto starts")
    }

    /// Stop it (a broker going away: its retained messages go with it, persistence being off).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Start it again on the same port, after [`Mosquitto::stop`].
    pub async fn start_again(&mut self) {
        self.child = Self::spawn(&self.bin, &self._dir.join("mosquitto.conf"));
        until_listening(self.addr, "mosquitto").await;
    }

    /// `mqtt://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("mqtt://{}", self.addr)
    }

    /// `mqtts://127.0.0.1:PORT` of the TLS listener.
    pub fn tls_url(&self) -> String {
        format!(
            "mqtts://{}",
            self.tls_addr.expect("started with start_with_tls")
        )
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

/// A message received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Its topic.
    pub topic: String,
    /// Its payload.
    pub payload: Vec<u8>,
    /// Delivered as a retained message (it was at the broker before the subscription).
    pub retain: bool,
}

impl Received {
    /// The payload as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.payload).into_owned()
    }

    /// The payload as JSON (panics if it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload)
            .unwrap_or_else(|e| panic!("{} is not JSON ({e}): {}", self.topic, self.text()))
    }
}

/// A client subscribed to some filters, recording everything it receives.
pub struct Subscriber {
    client: AsyncClient,
    rx: mpsc::UnboundedReceiver<Received>,
    /// Everything received so far, in order.
    pub seen: Vec<Received>,
}

impl Subscriber {
    /// Connect to `addr` and subscribe to `filters` (QoS 1); returns once subscribed.
    pub async fn connect(addr: SocketAddr, filters: &[&str]) -> Subscriber {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let id = format!(
            "test-sub-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut o = MqttOptions::new(id, addr.ip().to_string(), addr.port());
        o.set_max_packet_size(32 * 1024 * 1024, 64 * 1024);
        o.set_keep_alive(Duration::from_secs(30));
        let (client, mut el) = AsyncClient::new(o, 64);
        let (tx, rx) = mpsc::unbounded_channel();
        let (subscribed_tx, mut subscribed) = watch::channel(0usize);
        let again = client.clone();
        let wanted: Vec<String> = filters.iter().map(|f| (*f).to_owned()).collect();
        tokio::spawn(async move {
            let mut acks = 0;
            loop {
                match el.poll().await {
                    // Subscribed again at every connection (a clean session forgets them).
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        for f in &wanted {
                            let _ = again.try_subscribe(f.clone(), QoS::AtLeastOnce);
                        }
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        acks += 1;
                        let _ = subscribed_tx.send(acks);
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let _ = tx.send(Received {
                            topic: p.topic.clone(),
                            payload: p.payload.to_vec(),
                            retain: p.retain,
                        });
                    }
                    Ok(_) => {}
                    // The broker is away: rumqttc connects again at the next poll.
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        });
        let n = filters.len();
        tokio::time::timeout(WAIT, subscribed.wait_for(|a| *a >= n))
            .await
            .expect("the broker acknowledges the subscriptions")
            .expect("subscriber alive");
        Subscriber {
            client,
            rx,
            seen: Vec::new(),
        }
    }

    /// Wait for a message (received since connecting, or to come) that `pick` accepts;
    /// panics naming `what` after [`WAIT`].
    pub async fn wait_for(&mut self, what: &str, pick: impl Fn(&Received) -> bool) -> Received {
        if let Some(m) = self.seen.iter().find(|m| pick(m)) {
            return m.clone();
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(m)) => {
                    self.seen.push(m.clone());
                    if pick(&m) {
                        return m;
                    }
                }
                _ => panic!(
                    "no message {what} within {WAIT:?}; received: {:#?}",
                    self.seen
                        .iter()
                        .map(|m| format!(
                            "{} = {}",
                            m.topic,
                            m.text().chars().take(120).collect::<String>()
                        ))
                        .collect::<Vec<_>>()
                ),
            }
        }
    }

    /// Wait for `topic` to carry `payload` (text).
    pub async fn wait_for_value(&mut self, topic: &str, payload: &str) -> Received {
        self.wait_for(&format!("{topic} = {payload}"), |m| {
            m.topic == topic && m.payload == payload.as_bytes()
        })
        .await
    }

    /// The next message received, not recorded in [`Subscriber::seen`] (for counting many).
    pub async fn next(&mut self) -> Option<Received> {
        self.rx.recv().await
    }

    /// Forget what was received so far (later waits see only newer messages).
    pub fn forget(&mut self) {
        while let Ok(m) = self.rx.try_recv() {
            self.seen.push(m);
        }
        self.seen.clear();
    }

    /// Publish (QoS 1, not retained).
    pub async fn publish(&self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload.into())
            .await
            .expect("publish");
    }

    /// Publish retained (QoS 1).
    pub async fn publish_retained(&self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, true, payload.into())
            .await
            .expect("publish");
    }
}

/// A TCP relay to a broker, on 127.0.0.1:0, that can cut every connection and refuse new ones
/// (the broker "goes away") and let them through again.
#[derive(Debug)]
pub struct Relay {
    /// Where clients connect.
    pub addr: SocketAddr,
    up: watch::Sender<bool>,
}

impl Relay {
    /// Relay to `target`.
    pub async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the relay");
        let addr = listener.local_addr().expect("the relay's address");
        let (up, up_rx) = watch::channel(true);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !*up_rx.borrow() {
                    drop(inbound);
                    continue;
                }
                let mut up = up_rx.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = up.wait_for(|u| !*u) => {}
                    }
                });
            }
        });
        Relay { addr, up }
    }

    /// Cut every connection and refuse new ones.
    pub fn cut(&self) {
        let _ = self.up.send(false);
    }

    /// Let connections through again.
    pub fn restore(&self) {
        let _ = self.up.send(true);
    }

    /// `mqtt://` of the relay.
    pub fn url(&self) -> String {
        format!("mqtt://{}", self.addr)
    }
}
