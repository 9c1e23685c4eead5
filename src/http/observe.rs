//! (ssr) Each request observed once, at the edge: one log line (method, route template,
//! status, time, page cache outcome) and the HTTP metrics. Never the path's values, the
//! query string, cookies or a reader's address: those can carry personal data.

use std::borrow::Cow;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::http::page_cache::CACHE_HEADER;

/// The route template that answered (`/articles/{slug}`), carried on the response to the
/// log line.
#[derive(Debug, Clone)]
pub struct RouteName(pub Cow<'static, str>);

/// Inside the router, on every matched route: names the route on its response.
pub async fn name_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|matched| template(matched.as_str()));
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteName(route));
    }
    response
}

/// axum names a nested service's routes with a private tail parameter.
fn template(matched: &str) -> Cow<'static, str> {
    match matched.split_once("/{*") {
        Some((base, _)) => Cow::Owned(format!("{base}/*")),
        None => Cow::Owned(matched.to_owned()),
    }
}

/// Outermost: the request's log line and metrics.
pub async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // No span of its own: with span close events on, it would double the lines of every
    // request (docs/benchmarks.md, "Request logging").
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    // Unmatched: a file from `public/`, or the 404 page.
    let route = response.extensions().get::<RouteName>().map_or("fallback", |r| r.0.as_ref());
    let status = response.status().as_u16();
    let cache = response.headers().get(CACHE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info!(
        method = %method,
        route,
        status,
        ms = (elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0,
        cache,
        "request"
    );
    if crate::telemetry::metrics_on() {
        let labels =
            [("method", method.as_str().to_owned()), ("route", route.to_owned()), ("status", status.to_string())];
        metrics::counter!("http_requests_total", &labels).increment(1);
        metrics::histogram!("http_request_duration_seconds", "route" => route.to_owned()).record(elapsed.as_secs_f64());
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn nested_services_are_named_by_their_base() {
        assert_eq!(super::template("/pkg/{*__private__axum_nest_tail_param}"), "/pkg/*");
        assert_eq!(super::template("/articles/{slug}"), "/articles/{slug}");
    }
}
