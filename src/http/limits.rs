//! (ssr) What a request may send: a capped body (larger for the article editor), form
//! fields that are UTF-8 once decoded, and server-function calls Leptos cannot decode
//! answered as the client's error.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use axum::extract::State;

use crate::db::Pool;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::SignedIn;
use crate::services;

/// The largest request body accepted: a long comment or suggestion is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Staff posting a whole article (form-encoded, so up to three bytes a character) need more.
pub const MAX_ARTICLE_BYTES: usize = 1024 * 1024;

/// The largest photo an editor uploads.
use crate::domain::media::MAX_UPLOAD_BYTES;

/// Caps every request body: `MAX_BODY_BYTES`, or `MAX_ARTICLE_BYTES` for the article editor's
/// posts from a live session of an editor (looked up once here and handed to the handler's
/// guard as `SignedIn`; anyone else, a made-up cookie included, gets the reader's cap). A
/// declared length over the cap is refused at once with 413; a longer chunked body fails when
/// read, also with 413.
pub async fn limit_body(State(pool): State<Pool>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // Only posts carry an article: the editor's pages themselves need no session lookup here.
    let is_post = request.method() == axum::http::Method::POST;
    let uploading = is_post && path == "/staff/media";
    let editing = is_post && (uploading || path.starts_with("/staff/articles") || path == "/api/staff/preview");
    let session = request.extensions().get::<Visitor>().and_then(|v| v.staff_session.clone());
    let mut limit = MAX_BODY_BYTES;
    if editing
        && let Some(session) = session
        && let Ok(staff) = services::staff::require(&pool, Some(&session), Role::Editor).await
    {
        // A photo and its form's few fields.
        limit = if uploading { MAX_UPLOAD_BYTES + 64 * 1024 } else { MAX_ARTICLE_BYTES };
        request.extensions_mut().insert(SignedIn(staff));
    }
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        if uploading && limit > MAX_ARTICLE_BYTES {
            let message = crate::domain::media::Refusal::TooLarge.to_string();
            return (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
        }
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let (parts, body) = request.into_parts();
    next.run(Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, limit)))).await
}

/// Form posts whose fields are not UTF-8 once decoded are refused with 400: decoding them
/// lossily, as form parsers do, would store replacement characters nobody wrote.
pub async fn forms_are_utf8(request: Request, next: Next) -> Response {
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
pub async fn client_errors_are_4xx(request: Request, next: Next) -> Response {
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
