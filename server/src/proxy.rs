//! Who is on the other end, behind the bank's TLS proxy: `Forwarded` and `X-Forwarded-For` /
//! `X-Forwarded-Proto` are believed from the proxies `QUAN_TRUSTED_PROXIES` names, and from no
//! one else. The client is the nearest address in the chain that is not a trusted proxy.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// A block of addresses: `10.0.0.0/8`, `fd00::/8`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Reads `addr/prefix` or a bare address.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text}: not an IP address or CIDR block"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text}: the prefix is 0 to {max}"))?,
            None => max,
        };
        Ok(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.addr), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client of a request, as far as the trusted proxies tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// The client reached the proxy over HTTPS.
    pub https: bool,
}

/// The chain of addresses a request passed through, nearest last: `Forwarded: for=` if present,
/// else `X-Forwarded-For`. Entries that are not addresses (`unknown`, obfuscated names) end the
/// chain, since nothing before them can be placed.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.trim().split_once('=')?;
                    k.trim().eq_ignore_ascii_case("for").then(|| node(v))
                })
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(node)
        .collect()
}

/// One node of a chain: `203.0.113.9`, `"[2001:db8::1]:4711"`, `198.51.100.1:8080`.
fn node(text: &str) -> Option<IpAddr> {
    let t = text.trim().trim_matches('"');
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split_once(']').and_then(|(a, _)| a.parse().ok());
    }
    t.parse()
        .ok()
        .or_else(|| t.rsplit_once(':').and_then(|(a, _)| a.parse().ok()))
}

/// Whether the nearest trusted proxy says the client came over HTTPS.
fn forwarded_https(headers: &HeaderMap) -> bool {
    let proto = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("proto")
                    .then(|| v.trim().trim_matches('"').to_owned())
            })
        })
        .or_else(|| {
            headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next_back())
                .map(|v| v.trim().to_owned())
        });
    proto.is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the nearest
/// address in the forwarded chain that is not one.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> Client {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return Client {
            ip: canonical(peer),
            https: false,
        };
    }
    let mut ip = peer;
    for hop in forwarded_for(headers).into_iter().rev() {
        match hop {
            Some(h) if is_trusted(ip) => ip = h,
            _ => break,
        }
    }
    Client {
        ip: canonical(ip),
        https: forwarded_https(headers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_hold_their_addresses() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "IPv4 written as IPv6");
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("203.0.113.9")));
        assert!(Cidr::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
        assert!(!Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.2")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0/8", "::/129", ""] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_client_is_believed_only_from_a_trusted_proxy() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-proto", "https"),
        ]);
        // From the proxy: the address it names, over HTTPS.
        assert_eq!(
            client(ip("10.0.0.2"), &h, &trusted),
            Client {
                ip: ip("198.51.100.7"),
                https: true
            }
        );
        // From anyone else, the same headers are the sender's own word: ignored.
        assert_eq!(
            client(ip("203.0.113.9"), &h, &trusted),
            Client {
                ip: ip("203.0.113.9"),
                https: false
            }
        );
        // With no proxy trusted, nothing is believed.
        assert_eq!(client(ip("10.0.0.2"), &h, &[]).ip, ip("10.0.0.2"));
    }

    #[test]
    fn a_spoofed_start_of_the_chain_is_not_the_client() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        // The client wrote 1.2.3.4 itself; the proxy appended the address it saw.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.5")]);
        assert_eq!(client(ip("10.0.0.2"), &h, &trusted).ip, ip("198.51.100.7"));
    }

    #[test]
    fn forwarded_is_read_before_x_forwarded_for() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        let h = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.9",
            ),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(
            client(ip("10.0.0.2"), &h, &trusted),
            Client {
                ip: ip("2001:db8::1"),
                https: false
            },
            "the nearest element's proto is http (none given)"
        );
        let h = headers(&[("forwarded", "for=unknown, for=198.51.100.7;proto=https")]);
        assert_eq!(
            client(ip("10.0.0.2"), &h, &trusted),
            Client {
                ip: ip("198.51.100.7"),
                https: true
            }
        );
    }
}
