//! (ssr) Who is behind a request, without storing who they are: keyed hashes of client
//! addresses, the reader's comment token and the staff session id. Cookies carry the tokens
//! (`http::cookies`); the database keeps only their hashes.

use std::net::IpAddr;

use sha2::{Digest, Sha256};

/// A client's keyed address hash, as stored with what it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientHash(String);

impl ClientHash {
    /// IPv6 clients are hashed by their /64 network: one household or phone usually holds a
    /// whole /64 and could otherwise step around limits address by address.
    pub fn new(key: &[u8], addr: IpAddr) -> Self {
        let network = match addr {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.octets().to_vec(),
                None => v6.octets()[..8].to_vec(),
            },
        };
        let digest = Sha256::new().chain_update(key).chain_update(&network).finalize();
        Self(hex(&digest[..16]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The client behind a request, hashed twice: `stored` with the site's long-lived key, kept
/// with what they write (bans match it); `limited` with a key derived from it for the
/// current day, used only to count attempts (rate limits, failed sign-ins), so those counts
/// cannot be tied to an address or to each other from one day to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub stored: ClientHash,
    pub limited: ClientHash,
}

impl Client {
    /// `day`: days since 1970 (UTC), which picks the counting key.
    pub fn new(key: &[u8], addr: IpAddr, day: i64) -> Self {
        let day_key =
            Sha256::new().chain_update(key).chain_update(b"limits").chain_update(day.to_be_bytes()).finalize();
        Self { stored: ClientHash::new(key, addr), limited: ClientHash::new(&day_key, addr) }
    }

    /// Today's counting key.
    pub fn today(key: &[u8], addr: IpAddr) -> Self {
        let day = time::OffsetDateTime::now_utc().unix_timestamp().div_euclid(86_400);
        Self::new(key, addr, day)
    }
}

/// A random secret of `LEN` lower-case hex digits, kept by the browser in a cookie; the
/// database stores only its hash, so it cannot be used to impersonate anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<const LEN: usize>(String);

/// Lets a browser see its own comments while they await moderation.
pub type ReaderToken = Token<32>;
/// A staff session.
pub type SessionId = Token<64>;

impl<const LEN: usize> Token<LEN> {
    pub fn generate() -> Self {
        Self(random_token(LEN / 2))
    }

    /// A token as a client sent it; anything but `LEN` lower-case hex digits is not one.
    pub fn parse(raw: &str) -> Option<Self> {
        is_hex(raw, LEN).then(|| Self(raw.to_owned()))
    }

    /// What the database keeps.
    pub fn hash(&self) -> String {
        sha256_hex(&self.0)
    }

    /// The token itself, for the cookie.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

fn is_hex(raw: &str, len: usize) -> bool {
    raw.len() == len && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A random token of `bytes` bytes, as lower-case hex.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The operating system's generator failing is not something a web request can fix.
    getrandom::fill(&mut buf).expect("the system random number generator failed");
    hex(&buf)
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_the_key_and_hide_the_address() {
        let addr: IpAddr = "203.0.113.7".parse().unwrap();
        let a = ClientHash::new(b"key-one", addr);
        assert_eq!(a, ClientHash::new(b"key-one", addr));
        assert_ne!(a, ClientHash::new(b"key-two", addr));
        assert!(!a.as_str().contains("203"));
        assert_eq!(a.as_str().len(), 32);
    }

    #[test]
    fn the_counting_hash_changes_every_day_and_the_stored_one_does_not() {
        let addr: IpAddr = "203.0.113.7".parse().unwrap();
        let (monday, tuesday) = (Client::new(b"k", addr, 20_000), Client::new(b"k", addr, 20_001));
        assert_eq!(monday.stored, tuesday.stored);
        assert_ne!(monday.limited, tuesday.limited);
        assert_ne!(monday.limited, monday.stored);
        assert_eq!(monday, Client::new(b"k", addr, 20_000), "the same on every server");
    }

    #[test]
    fn ipv6_clients_in_one_64_share_a_hash() {
        let a = ClientHash::new(b"k", "2001:db8:1:2::1".parse().unwrap());
        let b = ClientHash::new(b"k", "2001:db8:1:2:ffff::9".parse().unwrap());
        let c = ClientHash::new(b"k", "2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn tokens_are_random_hex_and_stored_only_as_hashes() {
        let token = ReaderToken::generate();
        assert_ne!(token, ReaderToken::generate());
        assert_eq!(ReaderToken::parse(token.secret()), Some(token.clone()));
        assert_eq!(token.hash().len(), 64);
        assert!(!token.hash().contains(token.secret()));
        let session = SessionId::generate();
        assert_eq!(SessionId::parse(session.secret()), Some(session.clone()));
        assert_ne!(session.hash(), session.secret());
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for value in ["", "short", "../../etc/passwd", &"G".repeat(32), &"A".repeat(32)] {
            assert_eq!(ReaderToken::parse(value), None, "{value}");
        }
        assert_eq!(SessionId::parse(&"a".repeat(32)), None);
    }
}
