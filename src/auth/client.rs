//! Who is on the other end: the client's address (through trusted proxies only)
//! and text from clients made safe for log lines.

use actix_web::HttpRequest;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

use crate::config::Config;

/// One IP address or CIDR range, such as `10.0.0.0/8` or `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    fn parse(entry: &str) -> Option<IpRange> {
        let (address, prefix) = match entry.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (entry, None),
        };
        let network: IpAddr = address.trim().parse().ok()?;
        let network = network.to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= bits)?,
            None => bits,
        };
        Some(IpRange { network, prefix })
    }

    fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// `TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` is believed.
/// Empty by default: the TCP peer is the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    /// Parses a comma-separated list of IP addresses and CIDR ranges; the error
    /// names the first entry that is neither.
    pub fn parse(raw: &str) -> Result<TrustedProxies, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                IpRange::parse(entry).ok_or_else(|| {
                    format!(
                        "{entry:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8"
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether `address` is one of the proxies.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(address))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ranges: Vec<String> = self.0.iter().map(IpRange::to_string).collect();
        f.write_str(&ranges.join(","))
    }
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port.
fn forwarded_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The client's address, from the peer and the `X-Forwarded-For` entries in
/// order: while the address in hand is a trusted proxy, the entry it appended
/// (the right-most not yet read) is believed. So a client cannot choose its
/// address by sending the header itself, and a malformed entry stops the walk.
pub fn client_address_from(
    peer: IpAddr,
    forwarded_for: &[&str],
    trusted: &TrustedProxies,
) -> IpAddr {
    let mut client = peer.to_canonical();
    for entry in forwarded_for.iter().rev() {
        if !trusted.contains(client) {
            break;
        }
        match forwarded_entry(entry) {
            Some(address) => client = address,
            None => break,
        }
    }
    client
}

/// The request's client address (see [`client_address_from`]); every throttle
/// and log line uses it.
pub fn client_address(req: &HttpRequest, config: &Config) -> IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let headers: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    client_address_from(peer, &headers, &config.trusted_proxies)
}

/// Text a client typed, safe in one log line: control characters (new lines,
/// escape sequences, …) are written as `\n`, `\u{1b}`, so nobody can forge a line.
pub fn loggable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn control_characters_cannot_forge_a_log_line() {
        let typed = "an@test.vn\n2026-12-02T10:00:00Z INFO login succeeded user=1\r\u{1b}[2J\\n";
        let logged = loggable(typed);
        assert!(!logged.chars().any(char::is_control), "{logged}");
        assert_eq!(
            logged,
            "an@test.vn\\n2026-12-02T10:00:00Z INFO login succeeded user=1\\r\\u{1b}[2J\\\\n"
        );
        assert_eq!(loggable("Nguyễn Văn A"), "Nguyễn Văn A");
    }

    #[test]
    fn proxies_are_addresses_and_ranges_and_nothing_else() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7 ,fd00::/8").unwrap();
        assert!(trusted.contains(ip("10.200.3.4")));
        assert!(trusted.contains(ip("192.168.1.7")));
        assert!(!trusted.contains(ip("192.168.1.8")));
        assert!(trusted.contains(ip("fd12::1")));
        assert!(trusted.contains(ip("::ffff:10.1.1.1")), "IPv4-mapped");
        assert!(!trusted.contains(ip("11.0.0.1")));
        assert!(TrustedProxies::parse("0.0.0.0/0")
            .unwrap()
            .contains(ip("8.8.8.8")));
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0/8", "::1/129"] {
            let err = TrustedProxies::parse(bad).unwrap_err();
            assert!(err.contains(bad), "{err}");
        }
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let none = TrustedProxies::default();
        let proxy = TrustedProxies::parse("10.0.0.1, 10.0.0.2").unwrap();
        let peer = ip("10.0.0.1");
        // Untrusted peer: the header is the client's own claim.
        assert_eq!(client_address_from(peer, &["1.2.3.4"], &none), peer);
        // The proxy appends the real client; what the client sent before is ignored.
        assert_eq!(
            client_address_from(peer, &["6.6.6.6", "1.2.3.4"], &proxy),
            ip("1.2.3.4")
        );
        // Two proxies in a row.
        assert_eq!(
            client_address_from(peer, &["1.2.3.4", "10.0.0.2"], &proxy),
            ip("1.2.3.4")
        );
        assert_eq!(
            client_address_from(peer, &["1.2.3.4:5555"], &proxy),
            ip("1.2.3.4")
        );
        assert_eq!(client_address_from(peer, &["garbage"], &proxy), peer);
        assert_eq!(client_address_from(peer, &[], &proxy), peer);
    }
}
