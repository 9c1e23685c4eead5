//! (ssr) Builds the application from its state, for `main` and for the integration tests.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::app::{App, shell};
use crate::error::AppError;
use crate::feeds;
use crate::state::AppState;

/// Static assets under `/pkg` carry a content hash in their names, so browsers and CDNs may
/// keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The largest request body accepted: a long comment or suggestion is a few kilobytes.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Staff posting a whole article (form-encoded, so up to three bytes a character) need more.
const MAX_ARTICLE_BYTES: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let pkg_dir = format!("{}/{}", state.leptos_options.site_root, state.leptos_options.site_pkg_dir);
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)))
        .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip());

    Router::new()
        .route("/feed.xml", get(feeds::atom))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/corrections.xml", get(feeds::corrections))
        .route("/robots.txt", get(feeds::robots))
        .route("/articles/{slug}/correction", post(crate::pages::correction::submit_form))
        .route("/articles/{slug}/comments", post(crate::pages::comments::post_form))
        .route("/articles/{slug}/comments/{id}/report", post(crate::pages::comments::report_form))
        .route("/staff/login", post(crate::pages::staff::login::sign_in))
        .route("/staff/logout", post(crate::pages::staff::login::sign_out))
        .route("/staff/comments/moderate", post(crate::pages::staff::comments::moderate))
        .route("/staff/comments/bans/{id}/lift", post(crate::pages::staff::bans::lift))
        .route("/staff/corrections/{id}/dismiss", post(crate::pages::staff::corrections::dismiss))
        .route("/staff/corrections/{id}/apply", post(crate::pages::staff::corrections::apply))
        .route("/staff/corrections/{id}/accept", post(crate::pages::staff::corrections::accept))
        .route("/staff/settings/moderation", post(crate::pages::staff::settings::set_mode))
        .route("/staff/settings/words", post(crate::pages::staff::settings::set_words))
        .route("/staff/settings/article", post(crate::pages::staff::settings::set_article))
        .route("/staff/articles", post(crate::pages::staff::articles::create))
        .route("/staff/articles/{slug}/edit", post(crate::pages::staff::articles::save))
        .route("/staff/articles/{slug}/publish", post(crate::pages::staff::articles::publish))
        .route("/staff/articles/{slug}/unpublish", post(crate::pages::staff::articles::unpublish))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // The site uses none of these; nothing embedded in it may either.
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        ))
        .layer(axum::middleware::from_fn(client_errors_are_4xx))
        .layer(axum::middleware::from_fn(finished_documents))
        .layer(axum::middleware::from_fn(forms_are_utf8))
        // Reader writes are small; anything larger is refused before it is read.
        .layer(axum::middleware::from_fn(limit_body))
        .with_state(state)
}

/// The whole site as one service.
pub type Site = tower::util::BoxCloneSyncService<Request, Response, std::convert::Infallible>;

/// The router behind request tracing, the page cache and compression. The cache sits in
/// front of routing: a page answered from memory costs no route lookup and no clone of the
/// handlers' state. It keeps pages compressed already and sends them as stored, so the
/// compression layer behind it handles only what the cache does not keep.
pub fn site(state: AppState) -> Site {
    let pages = state.pages.clone();
    let service = tower::ServiceBuilder::new()
        .map_response(|response: axum::http::Response<_>| response.map(Body::new))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn_with_state(pages, crate::page_cache::layer))
        .map_response(|response: axum::http::Response<_>| response.map(Body::new))
        .layer(CompressionLayer::new())
        .service(router(state));
    Site::new(service)
}

/// Every rendered HTML document is made valid HTML (`hydration::finish_document`).
async fn finished_documents(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "a rendered page could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let finished = std::str::from_utf8(&bytes).ok().and_then(crate::hydration::finish_document);
    let body = match finished {
        Some(finished) => Body::from(finished),
        None => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// Caps every request body: `MAX_BODY_BYTES`, or `MAX_ARTICLE_BYTES` for the article editor's
/// posts when they carry a well-formed staff session cookie (the handler still checks it;
/// anyone else gets the reader's cap). A declared length over the cap is refused at once
/// with 413; a longer chunked body fails when read, also with 413.
async fn limit_body(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let editing = path.starts_with("/staff/articles") || path == "/api/staff/preview";
    let limit = if editing && crate::auth::SessionId::from_headers(request.headers()).is_some() {
        MAX_ARTICLE_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let (parts, body) = request.into_parts();
    next.run(Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, limit)))).await
}

/// Form posts whose fields are not UTF-8 once decoded are refused with 400: decoding them
/// lossily, as form parsers do, would store replacement characters nobody wrote.
async fn forms_are_utf8(request: Request, next: Next) -> Response {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body is already capped by `limit_body`.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let too_large = std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| e.source())
                .any(|e| e.is::<http_body_util::LengthLimitError>());
            return if too_large {
                (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response()
            } else {
                (StatusCode::BAD_REQUEST, "The request body could not be read.").into_response()
            };
        }
    };
    if !form_is_utf8(&bytes) {
        return (StatusCode::BAD_REQUEST, "The form's text is not valid UTF-8.").into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Whether every `name=value` of a form body is UTF-8 after `+` and `%XX` decoding.
fn form_is_utf8(body: &[u8]) -> bool {
    body.split(|&b| b == b'&').all(|pair| {
        let mut decoded = Vec::with_capacity(pair.len());
        let hex = |at: usize| pair.get(at).and_then(|&b| (b as char).to_digit(16));
        let mut i = 0;
        while i < pair.len() {
            match (pair[i], hex(i + 1), hex(i + 2)) {
                (b'%', Some(high), Some(low)) => {
                    decoded.push((high * 16 + low) as u8);
                    i += 3;
                }
                (b'+', ..) => {
                    decoded.push(b' ');
                    i += 1;
                }
                (byte, ..) => {
                    decoded.push(byte);
                    i += 1;
                }
            }
        }
        std::str::from_utf8(&decoded).is_ok()
    })
}

/// Leptos answers a server-function request it cannot decode (malformed JSON, missing
/// fields) with 500, as if the server had failed. Those are the client's errors: 400.
async fn client_errors_are_4xx(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(AppError::ServerFn(_)) = postcard::from_bytes::<AppError>(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Serves until the process is told to stop, then lets open requests finish.
///
/// Every accepted connection gets `TCP_NODELAY`: responses are written in several pieces,
/// and Nagle's algorithm would hold the last one back until the client's delayed ACK (about
/// 40 ms a request). A client must send its request headers within `header_timeout`, so
/// connections that trickle a byte at a time are closed instead of being held open forever.
pub async fn serve(listener: TcpListener, site: Site, header_timeout: Duration) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY");
        }
        // Handlers that need the reader's address read it as `ConnectInfo`.
        let site = site.clone();
        let service = tower::service_fn(move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            site.clone().oneshot(request.map(Body::new))
        });
        let connection =
            builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    // Requests in flight get a little time to finish; then the process ends regardless.
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await.is_err() {
        tracing::warn!("some connections were still open after 10 s");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::form_is_utf8;

    #[test]
    fn form_bodies_must_decode_to_utf8() {
        assert!(form_is_utf8(b"name=Ana&body=Caf%C3%A9+ol%C3%A9"));
        assert!(form_is_utf8("body=café".as_bytes()));
        assert!(form_is_utf8(b"body=100%25&x=%"), "a stray % stays literal");
        assert!(!form_is_utf8(b"body=%FF%FE"));
        assert!(!form_is_utf8(b"name=%C3"), "a cut-off sequence");
        assert!(!form_is_utf8(&[b'b', b'=', 0xff]));
    }
}
