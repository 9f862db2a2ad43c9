//! HTTP/1.1 request framing read from the bytes as they pass, with no I/O: what a request
//! head says of its body, and where a chunked body ends. The simulator's connections and the
//! client's push listener both watch their requests with these, to hold them to deadlines and
//! size caps while hyper parses them, and count them in a [`ConnTable`] that says which to
//! close when a newcomer needs room.

/// What a request head tells of its body, read from its header lines as they pass.
#[derive(Debug, Default)]
pub struct HeadLines {
    /// The current header line, lowercased, its first bytes only.
    line: Vec<u8>,
    length: Option<u64>,
    chunked: bool,
}

impl HeadLines {
    const KEEP: usize = 64;

    /// One byte of the head.
    pub fn byte(&mut self, b: u8) {
        match b {
            b'\n' => {
                let line = String::from_utf8_lossy(&self.line);
                if let Some(v) = line.strip_prefix("content-length:") {
                    self.length = v.trim().parse().ok();
                } else if line.starts_with("transfer-encoding:") {
                    // Any transfer coding: hyper reads it chunked or refuses it.
                    self.chunked = true;
                }
                self.line.clear();
            }
            b'\r' => {}
            _ if self.line.len() < Self::KEEP => self.line.push(b.to_ascii_lowercase()),
            _ => {}
        }
    }

    /// The body still to come once the head is over (`Some(0)`: none); resets the scan.
    pub fn body(&mut self) -> Option<u64> {
        let left = if self.chunked {
            None
        } else {
            Some(self.length.unwrap_or(0))
        };
        *self = HeadLines::default();
        left
    }
}

/// Where a chunked body is: to tell its chunk sizes and when its last chunk (and trailers)
/// are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunks {
    /// Reading a chunk's size line: the size so far.
    Size(u64),
    /// Past the size (an extension, or the line's end): to the end of the line.
    SizeLine(u64),
    /// In a chunk's data: `left` bytes of it.
    Data(u64),
    /// After a chunk's data: to the end of its line.
    DataEnd,
    /// After the last chunk: trailer lines until a blank one.
    Trailers {
        /// At the start of a line (a line end here ends the body).
        at_start: bool,
    },
}

impl Chunks {
    /// Read `bytes` of the body, adding each chunk's size to `total`: how many of them
    /// complete it, if they do.
    pub fn feed(&mut self, bytes: &[u8], total: &mut u64) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            *self = match *self {
                Chunks::Data(left) => {
                    // Skip the data in one step.
                    let n = left.min((bytes.len() - i + 1) as u64);
                    i += usize::try_from(n).unwrap_or(bytes.len()) - 1;
                    if n == left {
                        Chunks::DataEnd
                    } else {
                        Chunks::Data(left - n)
                    }
                }
                Chunks::Size(size) => match (b as char).to_digit(16) {
                    // A size that overflows is refused by hyper, which closes the connection.
                    Some(d) => Chunks::Size(size.saturating_mul(16).saturating_add(d.into())),
                    None if b == b'\n' => Self::after_size(size, total),
                    None => Chunks::SizeLine(size),
                },
                Chunks::SizeLine(size) if b == b'\n' => Self::after_size(size, total),
                Chunks::DataEnd if b == b'\n' => Chunks::Size(0),
                Chunks::Trailers { at_start: true } if b == b'\n' => return Some(i),
                Chunks::Trailers { .. } if b == b'\n' => Chunks::Trailers { at_start: true },
                Chunks::Trailers { at_start } if b == b'\r' => Chunks::Trailers { at_start },
                Chunks::Trailers { .. } => Chunks::Trailers { at_start: false },
                state => state,
            };
        }
        None
    }

    fn after_size(size: u64, total: &mut u64) -> Chunks {
        *total = total.saturating_add(size);
        if size == 0 {
            Chunks::Trailers { at_start: true }
        } else {
            Chunks::Data(size)
        }
    }
}

/// The peer a connection counts against: its IP address, or for IPv6 its /64 network (one
/// host commonly holds a whole /64). An IPv4-mapped IPv6 address is its IPv4 address.
pub fn peer_of(addr: std::net::SocketAddr) -> std::net::IpAddr {
    use std::net::IpAddr;
    match addr.ip() {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            IpAddr::V6(octets.into())
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        ip => ip,
    }
}

/// The connections a server holds, counted per peer, and which of them to close to make room
/// for a newcomer. What a connection is (`C`), how old or busy, is the server's business: it
/// answers through the predicates of [`ConnTable::make_room`].
#[derive(Debug)]
pub struct ConnTable<C> {
    next_id: u64,
    conns: std::collections::HashMap<u64, (std::net::IpAddr, C)>,
    per_peer: std::collections::HashMap<std::net::IpAddr, usize>,
}

impl<C> Default for ConnTable<C> {
    fn default() -> Self {
        ConnTable {
            next_id: 0,
            conns: Default::default(),
            per_peer: Default::default(),
        }
    }
}

/// How many connections a [`ConnTable`] makes room for (each at least 1).
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Connections held at once, in all.
    pub total: usize,
    /// Connections held at once from one peer before its stale ones make room.
    pub per_peer: usize,
}

impl<C> ConnTable<C> {
    /// How many connections are held.
    pub fn len(&self) -> usize {
        self.conns.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.conns.is_empty()
    }

    /// Hold a connection from `peer`; its id.
    pub fn insert(&mut self, peer: std::net::IpAddr, conn: C) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.conns.insert(id, (peer, conn));
        *self.per_peer.entry(peer).or_default() += 1;
        id
    }

    /// A held connection.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut C> {
        self.conns.get_mut(&id).map(|(_, c)| c)
    }

    /// Stop holding a connection (`None` when it was not held, say already evicted).
    pub fn remove(&mut self, id: u64) -> Option<C> {
        let (peer, conn) = self.conns.remove(&id)?;
        if let Some(n) = self.per_peer.get_mut(&peer) {
            *n -= 1;
            if *n == 0 {
                self.per_peer.remove(&peer);
            }
        }
        Some(conn)
    }

    /// The connection to close first among those `pick` accepts: the lowest `order`, then id.
    fn first<K: Ord>(
        &self,
        order: &impl Fn(&C) -> K,
        pick: impl Fn(std::net::IpAddr, &C) -> bool,
    ) -> Option<u64> {
        self.conns
            .iter()
            .filter(|(_, (peer, c))| pick(*peer, c))
            .min_by_key(|(id, (_, c))| (order(c), **id))
            .map(|(id, _)| *id)
    }

    /// Make room for a connection from `peer`: the connections removed, to be closed, and
    /// whether there is room now.
    ///
    /// Only a `stale` connection (idle or stuck long enough) is closed to keep a peer within
    /// its share, and the peer may go over its share with the others while the total allows.
    /// At the total, the peer holding the most gives up its first stale connection, else
    /// anyone does ("first": the lowest `order`), else, as a last resort, the peer holding
    /// the most gives up the connection with the lowest `last_resort` rank (`None`: never).
    /// A stale connection must be evictable.
    pub fn make_room<K: Ord, L: Ord>(
        &mut self,
        peer: std::net::IpAddr,
        caps: Caps,
        order: impl Fn(&C) -> K,
        stale: impl Fn(&C) -> bool,
        last_resort: impl Fn(&C) -> Option<L>,
    ) -> (Vec<C>, bool) {
        let mut evicted = Vec::new();
        while self.per_peer.get(&peer).copied().unwrap_or(0) >= caps.per_peer.max(1) {
            let Some(id) = self.first(&order, |p, c| p == peer && stale(c)) else {
                break;
            };
            evicted.extend(self.remove(id));
        }
        while self.conns.len() >= caps.total.max(1) {
            let hog = self
                .per_peer
                .iter()
                .max_by_key(|(ip, n)| (**n, **ip))
                .map(|(ip, _)| *ip);
            let Some(id) = self
                .first(&order, |p, c| Some(p) == hog && stale(c))
                .or_else(|| self.first(&order, |_, c| stale(c)))
                .or_else(|| {
                    self.conns
                        .iter()
                        .filter(|(_, (p, _))| Some(*p) == hog)
                        .filter_map(|(id, (_, c))| last_resort(c).map(|rank| (rank, *id)))
                        .min()
                        .map(|(_, id)| id)
                })
            else {
                return (evicted, false);
            };
            evicted.extend(self.remove(id));
        }
        (evicted, true)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod table_tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn ip(n: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
    }

    /// Connections are (age order, stale, evictable at the last resort).
    type T = ConnTable<(u32, bool, bool)>;

    fn room(t: &mut T, peer: IpAddr, caps: Caps) -> (Vec<u32>, bool) {
        let (gone, ok) = t.make_room(peer, caps, |c| c.0, |c| c.1, |c| c.2.then_some(c.0));
        (gone.into_iter().map(|c| c.0).collect(), ok)
    }

    #[test]
    fn a_peer_over_its_share_loses_its_oldest_stale_connection_only() {
        let mut t = T::default();
        t.insert(ip(1), (5, true, true));
        t.insert(ip(1), (1, false, true));
        t.insert(ip(1), (3, true, true));
        t.insert(ip(2), (0, true, true));
        let caps = Caps {
            total: 10,
            per_peer: 2,
        };
        assert_eq!(room(&mut t, ip(1), caps), (vec![3, 5], true));
        // Only a busy one is left: the peer goes over its share with it.
        t.insert(ip(1), (7, false, true));
        assert_eq!(room(&mut t, ip(1), caps), (vec![], true));
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn at_the_total_the_hog_gives_up_first_then_anyone_then_a_busy_hog() {
        let mut t = T::default();
        let a = t.insert(ip(1), (1, false, true));
        t.insert(ip(1), (2, false, true));
        t.insert(ip(2), (0, true, true));
        let caps = Caps {
            total: 3,
            per_peer: 10,
        };
        // The hog (ip 1) has nothing stale: the stale one of ip 2 goes.
        assert_eq!(room(&mut t, ip(3), caps), (vec![0], true));
        t.insert(ip(3), (9, false, false));
        // Nothing stale anywhere: the hog's first evictable one goes.
        assert_eq!(room(&mut t, ip(3), caps), (vec![1], true));
        assert!(t.get_mut(a).is_none());
    }

    #[test]
    fn no_room_when_nothing_may_be_evicted() {
        let mut t = T::default();
        t.insert(ip(1), (1, false, false));
        let caps = Caps {
            total: 1,
            per_peer: 1,
        };
        assert_eq!(room(&mut t, ip(2), caps), (vec![], false));
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn ipv6_peers_count_by_their_64_and_mapped_ipv4_as_ipv4() {
        let a: std::net::SocketAddr = "[2001:db8::1]:1".parse().unwrap();
        let b: std::net::SocketAddr = "[2001:db8::2]:2".parse().unwrap();
        let m: std::net::SocketAddr = "[::ffff:127.0.0.1]:3".parse().unwrap();
        assert_eq!(peer_of(a), peer_of(b));
        assert_eq!(peer_of(m), ip(1));
    }
}
