//! (ssr) What a request is to the page cache: a reader page or not, the key it is kept
//! under (only the query parameters the page reads), and who is reading.

use axum::extract::Request;
use axum::http::Method;

use crate::http::Visitor;

/// Who is reading a reader page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reader {
    Anonymous,
    /// Signed-in staff: public pages look the same to them.
    Staff,
    /// A reader with the comment cookie: the hash of its token.
    Commenter(String),
}

impl Reader {
    /// Read from the same `Visitor` the pages use: a cookie they would ignore changes nothing.
    pub(super) fn of(visitor: &Visitor) -> Self {
        match (&visitor.reader, &visitor.staff_session) {
            (Some(token), _) => Self::Commenter(token.hash()),
            (None, Some(_)) => Self::Staff,
            (None, None) => Self::Anonymous,
        }
    }
}

/// What a GET request is to this cache.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Lookup {
    /// Not a reader page (staff pages, feeds, assets, server functions).
    Other,
    /// A reader page that is not kept (a reply or report form opened without JavaScript, a
    /// notice after a post): rendered for this reader.
    Render(Reader),
    /// A reader page that is kept under this key.
    Kept(String, Reader),
}

pub(super) fn lookup(request: &Request) -> Lookup {
    let path = request.uri().path();
    if request.method() != Method::GET {
        return Lookup::Other;
    }
    let Some(kind) = ReaderPage::of(path) else { return Lookup::Other };
    let reader = request.extensions().get::<Visitor>().map_or(Reader::Anonymous, Reader::of);
    match kind.key(path, request.uri().query()) {
        Some(key) => Lookup::Kept(key, reader),
        None => Lookup::Render(reader),
    }
}

/// The route template of a reader page's path, for the log line of a page sent from memory
/// (no route was matched for it).
pub(super) fn route_of(path: &str) -> &'static str {
    match ReaderPage::of(path) {
        Some(ReaderPage::Front) => "/",
        Some(ReaderPage::Corrections) => "/corrections",
        Some(ReaderPage::Article) => "/articles/{slug}",
        Some(ReaderPage::Topic) => "/topics/{slug}",
        Some(ReaderPage::Feed) => match path {
            "/feed.xml" => "/feed.xml",
            "/corrections.xml" => "/corrections.xml",
            "/sitemap.xml" => "/sitemap.xml",
            _ => "/sitemaps/{file}",
        },
        None => "fallback",
    }
}

/// The pages a crowd reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReaderPage {
    Front,
    Article,
    Topic,
    Corrections,
    /// The Atom feeds and the sitemap's files.
    Feed,
}

impl ReaderPage {
    fn of(path: &str) -> Option<Self> {
        let one_segment =
            |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
        match path {
            "/" => Some(Self::Front),
            "/corrections" => Some(Self::Corrections),
            "/feed.xml" | "/corrections.xml" | "/sitemap.xml" => Some(Self::Feed),
            _ if one_segment("/sitemaps/") => Some(Self::Feed),
            _ if one_segment("/articles/") => Some(Self::Article),
            _ if one_segment("/topics/") => Some(Self::Topic),
            _ => None,
        }
    }

    /// The query parameters the page reads to choose what it shows.
    fn parameters(self) -> &'static [&'static str] {
        match self {
            Self::Front | Self::Topic => &["page"],
            Self::Article => &["cpage", "order"],
            Self::Corrections | Self::Feed => &[],
        }
    }

    /// The key a page is kept under: the path and the parameters it reads, in a fixed order;
    /// other parameters (tracking tags and the like) neither make entries nor change them.
    /// `None` for an article with a form opened or a notice after a post (`?reply=`,
    /// `?posted=`...): those are one reader's moment, rendered and not kept.
    fn key(self, path: &str, query: Option<&str>) -> Option<String> {
        let mut chosen: Vec<(&str, &str)> = Vec::new();
        for pair in query.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if self.parameters().contains(&name) {
                if chosen.iter().any(|(n, _)| *n == name) {
                    return None;
                }
                chosen.push((name, value));
            } else if self == Self::Article && ["reply", "report", "posted", "reported", "again"].contains(&name) {
                return None;
            }
        }
        chosen.sort_unstable();
        let mut key = path.to_owned();
        for (i, (name, value)) in chosen.iter().enumerate() {
            key.push(if i == 0 { '?' } else { '&' });
            key.push_str(name);
            key.push('=');
            key.push_str(value);
        }
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::header;

    /// A request as it reaches the cache: its `Visitor` read from its cookies.
    fn request(uri: &str, cookie: Option<&str>) -> Request {
        let mut builder = Request::get(uri);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        let key: std::sync::Arc<[u8]> = std::sync::Arc::from(&b"k"[..]);
        let visitor = Visitor::read(std::net::Ipv4Addr::LOCALHOST.into(), key, request.headers(), false);
        request.extensions_mut().insert(visitor);
        request
    }

    #[test]
    fn keys_hold_only_the_parameters_a_page_reads() {
        let key = |uri: &str| match lookup(&request(uri, None)) {
            Lookup::Kept(key, Reader::Anonymous) => Some(key),
            _ => None,
        };
        assert_eq!(key("/articles/tram?cpage=2").as_deref(), Some("/articles/tram?cpage=2"));
        assert_eq!(key("/articles/tram?order=newest&cpage=2").as_deref(), Some("/articles/tram?cpage=2&order=newest"));
        assert_eq!(key("/articles/tram?utm_source=x&fbclid=y").as_deref(), Some("/articles/tram"), "unknown: ignored");
        assert_eq!(key("/?page=2&ref=z").as_deref(), Some("/?page=2"));
        assert_eq!(key("/corrections?page=9").as_deref(), Some("/corrections"));
        assert_eq!(key("/articles/tram?reply=4"), None, "a reply form: rendered, not kept");
        assert_eq!(key("/articles/tram?posted=pending"), None);
        assert_eq!(key("/articles/tram?cpage=1&cpage=2"), None, "ambiguous");
        for uri in ["/staff", "/staff/comments", "/articles/tram/correction", "/api/x", "/pkg/a.js", "/articles/"] {
            assert_eq!(lookup(&request(uri, None)), Lookup::Other, "{uri}");
        }
    }

    #[test]
    fn readers_are_told_apart_by_their_cookies() {
        let reader = format!("{}={}", crate::http::cookies::READER_COOKIE, "a".repeat(32));
        let staff = format!("x=1; {}={}", crate::http::cookies::STAFF_COOKIE, "b".repeat(64));
        assert!(matches!(lookup(&request("/", Some("theme=dark"))), Lookup::Kept(_, Reader::Anonymous)));
        assert!(matches!(lookup(&request("/articles/tram", Some(&reader))), Lookup::Kept(_, Reader::Commenter(_))));
        assert!(matches!(lookup(&request("/", Some(&staff))), Lookup::Kept(_, Reader::Staff)));
        assert_eq!(lookup(&request("/staff", Some(&staff))), Lookup::Other);
        assert_eq!(lookup(&Request::head("/").body(Body::empty()).unwrap()), Lookup::Other);
    }
}
