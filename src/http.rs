//! (ssr) The request edge: the only code that sees a `HeaderMap` or builds a `Response`.
//! It reads who is asking once (`visitor`), checks staff and origins (`guards`), bounds what
//! it reads (`limits`), answers kept pages from memory (`page_cache`) and hands typed input
//! to `services`.

/// Every cookie Copydesk sets or reads.
pub mod cookies;
/// Rendered HTML made valid: Leptos's leftovers after `</html>` removed.
pub mod documents;
/// The Atom feeds, the sitemap and robots.txt.
pub mod feeds;
/// The no-JavaScript form posts: each reads its form, calls a service, redirects.
pub mod forms;
/// Staff and same-origin checks as extractors, and the answers that refuse.
pub mod guards;
/// `/healthz` and `/readyz`.
pub mod health;
/// Body limits, the UTF-8 form check, undecodable server calls as 400.
pub mod limits;
/// The files of library photos, by content hash.
pub mod media;
/// Prometheus metrics, on their own listening address.
pub mod metrics;
/// Each request's log line and metrics.
pub mod observe;
/// Public pages kept in memory and sent as stored bytes.
pub mod page_cache;
/// The route table and the layers around it.
pub mod router;
/// The accept loop, timeouts and graceful shutdown.
pub mod serve;
/// What server functions need from the request and the response.
pub mod server_fn;
/// Who is behind a request, read once.
pub mod visitor;

pub use router::{Site, router, site};
pub use serve::serve;
pub use visitor::Visitor;
