//! (ssr) Who is behind a request, read once at the edge: the client's address (through
//! trusted proxies) as a keyed hash, the reader's comment token and the staff session id.
//! Everything downstream (the page cache, form handlers, server functions, pages) reads
//! the `Visitor`, never the headers.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::tokens::{Client, ReaderToken, SessionId};
use crate::error::AppError;
use crate::http::cookies;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Visitor {
    /// The client's address, and the key it is hashed with when a write needs it (a page
    /// answered from memory never does: no hashing on that path).
    addr: IpAddr,
    key: Arc<[u8]>,
    client: OnceLock<Client>,
    /// The reader's comment token, if their browser has one.
    pub reader: Option<ReaderToken>,
    /// The staff session id, if the browser carries one (not yet checked against the
    /// database: `services::staff::current` does that).
    pub staff_session: Option<SessionId>,
}

impl Visitor {
    /// The visitor at `addr` whose request carries `headers` (`key`: the site's client-hash
    /// key; `secure`: the site is served over TLS, which names the staff cookie).
    pub fn read(addr: IpAddr, key: Arc<[u8]>, headers: &HeaderMap, secure: bool) -> Self {
        Self {
            addr,
            key,
            client: OnceLock::new(),
            reader: cookies::reader_token(headers),
            staff_session: cookies::staff_session(headers, secure),
        }
    }

    /// The client's address, hashed for storing and for counting (worked out once).
    pub fn client(&self) -> &Client {
        self.client.get_or_init(|| Client::today(&self.key, self.addr))
    }

    /// The same client as nobody in particular: how a page everyone may be sent is rendered.
    pub fn anonymous(&self) -> Self {
        Self { reader: None, staff_session: None, ..self.clone() }
    }

    /// The visitor of the request being rendered (for pages and server functions).
    pub fn of_render() -> Result<Self, AppError> {
        leptos::prelude::use_context::<Parts>().and_then(|parts| parts.extensions.get::<Self>().cloned()).ok_or_else(
            || {
                tracing::error!("a render without a visitor: the `identify` layer is missing");
                AppError::Internal
            },
        )
    }
}

/// What `identify` needs, apart from the request: one shared value, so a request costs one
/// reference count, not a clone of the whole app state.
pub struct Identify {
    key: Arc<[u8]>,
    trusted: Vec<IpAddr>,
    secure: bool,
}

impl Identify {
    pub fn new(state: &AppState) -> Arc<Self> {
        Arc::new(Self {
            key: state.client_key.clone(),
            trusted: state.config.trusted_proxies.clone(),
            secure: state.config.is_https(),
        })
    }
}

/// The middleware that reads the `Visitor` into the request's extensions.
pub async fn identify(State(id): State<Arc<Identify>>, mut request: Request, next: Next) -> Response {
    // `serve` records the peer; a request without one (none in production) counts as local.
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |ConnectInfo(addr)| addr.ip());
    let headers = request.headers();
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    let addr = client_addr(peer, &forwarded, &id.trusted);
    let visitor = Visitor::read(addr, id.key.clone(), headers, id.secure);
    request.extensions_mut().insert(visitor);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts.extensions.get::<Self>().cloned().ok_or_else(|| {
            tracing::error!("a request without a visitor: the `identify` layer is missing");
            AppError::Internal
        })
    }
}

/// The reader's address. Behind a reverse proxy the TCP peer is the proxy, so when the peer
/// is one of `trusted` proxies the address comes from `X-Forwarded-For` (all its lines, in
/// order): the right-most entry that is not itself a trusted proxy. Entries further left are
/// whatever the client chose to send, and could be forged.
pub fn client_addr(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    forwarded_for
        .iter()
        .rev()
        .flat_map(|line| line.rsplit(','))
        .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
        .find(|addr| !trusted.contains(addr))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let reader: IpAddr = "203.0.113.9".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        // Not behind a trusted proxy: the header is ignored, whatever it says.
        assert_eq!(client_addr(stranger, &["203.0.113.9"], &[proxy]), stranger);
        assert_eq!(client_addr(stranger, &["203.0.113.9"], &[]), stranger);
        // Behind the proxy: the right-most address the proxy added.
        assert_eq!(client_addr(proxy, &["203.0.113.9"], &[proxy]), reader);
        // A forged left-most entry does not win.
        assert_eq!(client_addr(proxy, &["1.2.3.4, 203.0.113.9"], &[proxy]), reader);
        // Chained trusted proxies are skipped; garbage falls back to the peer.
        assert_eq!(client_addr(proxy, &["203.0.113.9, 10.0.0.2"], &[proxy]), reader);
        assert_eq!(client_addr(proxy, &["not an address"], &[proxy]), proxy);
        assert_eq!(client_addr(proxy, &[], &[proxy]), proxy);
    }

    #[test]
    fn every_forwarded_for_line_is_read_last_line_first() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // A client's own header first, the proxy's appended line last.
        assert_eq!(client_addr(proxy, &["1.2.3.4", "203.0.113.9"], &[proxy]), "203.0.113.9".parse::<IpAddr>().unwrap());
        assert_eq!(
            client_addr(proxy, &["203.0.113.9", "10.0.0.2"], &[proxy]),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
    }
}
