//! Where a push session listens. By default that is the local address on the route to the
//! camera, not every interface; when that address leaves this machine (a DHCP lease that
//! renumbered it, a Wi-Fi or VPN change), the listener follows the route to the address
//! that replaced it, and the session replaces its subscription, which names the old one.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use url::Url;

use crate::error::Error;
use crate::events::config::{PushConfig, PushLimits};
use crate::events::push_listener::{self, Delivery};
use crate::util::lock;

/// How long finding the route to the camera may take (a name to look up, on a network that
/// just changed): the session's requests wait meanwhile.
const ROUTE_LOOKUP: Duration = Duration::from_secs(2);

/// A running push listener; its accept loop stops when it is dropped (connections being
/// read end at their own deadlines).
pub(crate) struct Listening {
    task: JoinHandle<()>,
    /// `http://host:port` the camera posts to.
    base: String,
    bound: SocketAddr,
    /// How the address follows the route to the camera (`None`: it is the user's, kept).
    follow: Option<Follow>,
    /// The port asked for (0: the system's choice).
    port: u16,
    delivery: Delivery,
    limits: PushLimits,
    /// Why following the route last failed, said once until it changes.
    stuck: Option<String>,
}

/// An address taken from the route to the camera, followed when it leaves this machine.
struct Follow {
    camera: Url,
    /// The address depended on: the one bound, or (bound on every interface) the one the
    /// camera is told.
    ip: IpAddr,
    /// Bound on that address (not on every interface): bound again on the new one.
    rebind: bool,
    /// The camera is told that address (no `advertise`): told the new one, the
    /// subscription is replaced.
    told: bool,
}

impl Listening {
    /// Bind as `p` says (see [`bind`]) and start serving the session's notifications.
    pub(crate) async fn start(
        p: &PushConfig,
        camera: &Url,
        delivery: Delivery,
    ) -> Result<Listening, Error> {
        let (sock, bound, base, route) =
            bind(p.listen, p.every_interface, p.advertise.as_deref(), camera).await?;
        let follow = route.map(|ip| Follow {
            camera: camera.clone(),
            ip,
            rebind: !p.every_interface,
            told: p.advertise.is_none(),
        });
        lock(&delivery.state).bound = Some(bound);
        let task = tokio::spawn(push_listener::listen(sock, delivery.clone(), p.limits));
        Ok(Listening {
            task,
            base,
            bound,
            follow,
            port: p.listen.port(),
            delivery,
            limits: p.limits,
            stuck: None,
        })
    }

    /// The base URL the camera is to post to.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// Whether the address follows the route (and so is to be looked at now and then).
    pub(crate) fn follows(&self) -> bool {
        self.follow.is_some()
    }

    /// When the address taken from the route has left this machine, take the one now on the
    /// route instead (listening there, unless on every interface): returns why the
    /// subscription, which names the old one, is to be replaced (`None` where the camera is
    /// told an address of the user's). Also `None` while the address is here, or while no
    /// other is on the route yet (asked again next time).
    pub(crate) async fn follow(&mut self) -> Option<String> {
        let f = self.follow.as_ref()?;
        if is_local(f.ip) {
            self.stuck = None;
            return None;
        }
        let old = SocketAddr::new(f.ip, self.bound.port());
        let route = tokio::time::timeout(ROUTE_LOOKUP, route_local(&f.camera))
            .await
            .ok()
            .flatten()
            .filter(|r| r.ip() != f.ip);
        let Some(mut route) = route else {
            self.say_stuck(format!(
                "{} is no longer an address of this machine, and no other is on the route to \
                 the camera yet",
                f.ip
            ));
            return None;
        };
        let (rebind, told) = (f.rebind, f.told);
        if rebind {
            let sock = match self.bind_again(route).await {
                Ok(s) => s,
                Err(e) => {
                    self.say_stuck(format!("cannot listen on {} instead: {e}", route.ip()));
                    return None;
                }
            };
            let bound = match sock.local_addr() {
                Ok(a) => a,
                Err(e) => {
                    self.say_stuck(format!("cannot listen on {} instead: {e}", route.ip()));
                    return None;
                }
            };
            let task = tokio::spawn(push_listener::listen(
                sock,
                self.delivery.clone(),
                self.limits,
            ));
            std::mem::replace(&mut self.task, task).abort();
            self.bound = bound;
            lock(&self.delivery.state).bound = Some(bound);
        }
        self.stuck = None;
        route.set_port(self.bound.port());
        let new = SocketAddr::new(route.ip(), route.port());
        if let Some(f) = &mut self.follow {
            f.ip = new.ip();
        }
        let what = match (rebind, told) {
            (true, true) => format!("listening on {new} instead"),
            (false, true) => format!("the camera is told {new} instead"),
            (_, false) => {
                tracing::info!(%old, %new, base = %self.base, "the push listener's address left this machine: listening on the new one, where the camera is still told to post");
                return None;
            }
        };
        self.base = format!("http://{new}");
        tracing::info!(%old, %new, "the push listener's address left this machine");
        Some(format!(
            "the address the camera posts to, {old}, is no longer on this machine: {what}"
        ))
    }

    /// Bind `route`'s IP with the port asked for, or, where the system chose it, the same
    /// port as before when it is free (else another).
    async fn bind_again(&self, mut route: SocketAddr) -> std::io::Result<TcpListener> {
        if self.port != 0 {
            route.set_port(self.port);
            return TcpListener::bind(route).await;
        }
        route.set_port(self.bound.port());
        match TcpListener::bind(route).await {
            Ok(s) => Ok(s),
            Err(_) => {
                route.set_port(0);
                TcpListener::bind(route).await
            }
        }
    }

    /// Stop listening, and wait until the socket is closed.
    pub(crate) async fn stop(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
    }

    fn say_stuck(&mut self, why: String) {
        if self.stuck.as_ref() != Some(&why) {
            tracing::warn!("push listener: {why}");
            self.stuck = Some(why);
        }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Whether `ip` is still an address of one of this machine's interfaces. The list is read
/// at most once a second, however many sessions ask (a bridge's fleet asks every few
/// seconds each); when it cannot be read, the address is taken as here.
fn is_local(ip: IpAddr) -> bool {
    type Seen = Option<(std::time::Instant, Vec<IpAddr>)>;
    static SEEN: Mutex<Seen> = Mutex::new(None);
    let mut seen = lock(&SEEN);
    if seen
        .as_ref()
        .is_none_or(|(at, _)| at.elapsed() >= Duration::from_secs(1))
    {
        match if_addrs::get_if_addrs() {
            Ok(all) => {
                *seen = Some((
                    std::time::Instant::now(),
                    all.iter().map(if_addrs::Interface::ip).collect(),
                ));
            }
            Err(e) => {
                tracing::debug!(error = %e, "cannot list this machine's addresses");
                return true;
            }
        }
    }
    seen.as_ref().is_none_or(|(_, ips)| ips.contains(&ip))
}

/// Bind the listener: `listen` as given, except that an unspecified IP (`0.0.0.0`, `::`) means
/// the local address on the route to the camera (with that port) unless `every_interface`.
/// Returns the socket, its address, the base URL to advertise (`advertise` when given), and
/// the address taken from the route that the listener or the camera depends on, if any.
async fn bind(
    listen: SocketAddr,
    every_interface: bool,
    advertise: Option<&str>,
    camera: &Url,
) -> Result<(TcpListener, SocketAddr, String, Option<IpAddr>), Error> {
    let no_route = || {
        Error::Usage(
            "cannot tell which local address is on the route to the camera; give the address \
             to listen on"
                .into(),
        )
    };
    let mut addr = listen;
    let mut route = None;
    if listen.ip().is_unspecified() && !every_interface {
        addr = route_local(camera).await.ok_or_else(no_route)?;
        addr.set_port(listen.port());
        route = Some(addr.ip());
    }
    let sock = TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
    let bound = sock.local_addr().map_err(|e| Error::Usage(e.to_string()))?;
    let base = match advertise {
        Some(a) => a.to_owned(),
        None => {
            let ip = if bound.ip().is_unspecified() {
                let ip = route_local(camera).await.ok_or_else(no_route)?.ip();
                route = Some(ip);
                ip
            } else {
                bound.ip()
            };
            format!("http://{}", SocketAddr::new(ip, bound.port()))
        }
    };
    Ok((sock, bound, base, route))
}

/// The local address on the route to the camera (an IPv6 one with its scope): a UDP socket
/// "connected" to it (which sends nothing) knows which one the system would use.
async fn route_local(camera: &Url) -> Option<SocketAddr> {
    let host = camera
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = camera.port_or_known_default().unwrap_or(80);
    let target = tokio::net::lookup_host((host, port)).await.ok()?.next()?;
    let bind: SocketAddr = if target.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let sock = std::net::UdpSocket::bind(bind).ok()?;
    sock.connect(target).ok()?;
    sock.local_addr().ok()
}
