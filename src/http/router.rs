//! (ssr) The route table for pages, feeds and form posts, and the layers around it: who the
//! visitor is, the page cache, compression, security headers, body limits.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::app::{App, shell};
use crate::http::page_cache::PageCache;
use crate::http::{documents, feeds, forms, health, limits, media, observe, visitor};
use crate::state::AppState;

/// Static assets under `/pkg` carry a content hash in their names, so browsers and CDNs may
/// keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

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
        .route("/sitemaps/{file}", get(feeds::sitemap_file))
        .route("/corrections.xml", get(feeds::corrections))
        .route("/robots.txt", get(feeds::robots))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/articles/{slug}/correction", post(forms::correction::submit))
        .route("/articles/{slug}/comments", post(forms::comments::post))
        .route("/articles/{slug}/comments/{id}/report", post(forms::comments::report))
        .route("/staff/login", post(forms::login::sign_in))
        .route("/staff/login/code", post(forms::login::second_step))
        .route("/staff/logout", post(forms::login::sign_out))
        .route("/staff/comments/moderate", post(forms::moderation::moderate))
        .route("/staff/comments/bans/{id}/lift", post(forms::moderation::lift_ban))
        .route("/staff/corrections/{id}/dismiss", post(forms::corrections::dismiss))
        .route("/staff/corrections/{id}/apply", post(forms::corrections::apply))
        .route("/staff/corrections/{id}/accept", post(forms::corrections::accept))
        .route("/staff/corrections/{id}/fixed", post(forms::corrections::close_fixed))
        .route("/staff/corrections/{id}/answer", post(forms::corrections::answer))
        .route("/staff/comments/{id}/correction", post(forms::corrections::from_comment))
        .route("/staff/settings/moderation", post(forms::settings::set_mode))
        .route("/staff/settings/words", post(forms::settings::set_words))
        .route("/staff/settings/article", post(forms::settings::set_article))
        .route("/staff/team", post(forms::team::add))
        .route("/staff/team/role", post(forms::team::role))
        .route("/staff/team/remove", post(forms::team::remove))
        .route("/staff/account/password", post(forms::account::password))
        .route("/staff/account/sessions/end", post(forms::account::end_session))
        .route("/staff/account/two-step", post(forms::account::enable_two_step))
        .route("/staff/account/digest", post(forms::account::digest))
        .route("/staff/account/two-step/codes", post(forms::account::new_codes))
        .route("/staff/account/two-step/off", post(forms::account::disable_two_step))
        .route("/staff/settings/two-step", post(forms::settings::require_two_step))
        .route("/staff/settings/corrections", post(forms::settings::set_corrections))
        .route("/staff/articles", post(forms::articles::create))
        .route("/staff/articles/{slug}/edit", post(forms::articles::save))
        .route("/staff/articles/{slug}/publish", post(forms::articles::publish))
        .route("/staff/articles/{slug}/unpublish", post(forms::articles::unpublish))
        .route("/staff/articles/{slug}/schedule", post(forms::articles::schedule))
        .route("/staff/account/author", post(forms::authors::create_mine))
        .route("/staff/authors/{slug}", post(forms::authors::save))
        .route("/staff/articles/{slug}/unschedule", post(forms::articles::unschedule))
        .route("/staff/articles/{slug}/lead-image", post(forms::media::lead))
        // Capped by `limits::limit_body` (a photo's size for editors), not axum's 2 MB.
        .route("/staff/media", post(forms::media::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/staff/media/{id}", post(forms::media::update))
        .route("/staff/media/{id}/delete", post(forms::media::delete))
        .route("/media/{file}", get(media::file))
        .route("/mail/unsubscribe", post(forms::mail::unsubscribe))
        .route("/mail/confirm", post(forms::mail::confirm))
        .route("/staff/articles/{slug}/check/ignore", post(forms::copy_check::ignore))
        .route("/staff/articles/{slug}/check/show-ignored", post(forms::copy_check::show_ignored))
        .route("/staff/dictionary", post(forms::copy_check::add_word))
        .route("/staff/dictionary/remove", post(forms::copy_check::remove_word))
        .route("/staff/dictionary/language", post(forms::copy_check::set_language))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", pkg)
        .route_layer(axum::middleware::from_fn(observe::name_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn(limits::client_errors_are_4xx))
        .layer(axum::middleware::from_fn(documents::finished_documents))
        .layer(axum::middleware::from_fn(limits::forms_are_utf8))
        // Reader writes are small; anything larger is refused before it is read.
        .layer(axum::middleware::from_fn_with_state(state.pool.clone(), limits::limit_body))
        // Outermost, so the refusals of the layers above carry them too.
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
        .with_state(state)
}

/// The whole site as one service.
pub type Site = tower::util::BoxCloneSyncService<Request, Response, std::convert::Infallible>;

/// The router behind request tracing, the visitor, the page cache and compression. The
/// cache sits in front of routing: a page answered from memory costs no route lookup and no
/// clone of the handlers' state. It keeps pages compressed already and sends them as
/// stored, so the compression layer behind it handles only what the cache does not keep.
/// Each request is logged at `info` with its route, status and time (`observe`).
pub fn site(state: AppState) -> Site {
    let config = &state.config;
    let pages = Arc::new(PageCache::new(
        state.pool.clone(),
        state.kept.clone(),
        config.page_cache_bytes,
        config.cdn_max_age_secs,
        config.stale_if_error,
    ));
    let service = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn(observe::observe))
        .layer(axum::middleware::from_fn_with_state(visitor::Identify::new(&state), visitor::identify))
        .layer(axum::middleware::from_fn_with_state(pages, crate::http::page_cache::layer))
        .map_response(|response: axum::http::Response<_>| response.map(Body::new))
        .layer(CompressionLayer::new())
        .service(router(state));
    Site::new(service)
}
