//! Copydesk: a server-rendered newsroom site with interactive islands.
// Leptos views are deeply nested types; the article page needs more than the default.
#![recursion_limit = "256"]

/// The islands' server functions, one a file.
pub mod api;
/// Presentational pieces shared by pages; no I/O.
pub mod components;
/// Pure types shared by server and browser.
pub mod domain;
/// The application's error type and its HTTP status.
pub mod error;
/// The interactive parts that hydrate in the browser.
pub mod islands;

// Everything below runs only on the server.
/// The HTML shell and the routes.
#[cfg(feature = "ssr")]
pub mod app;
/// Static assets compressed at build time.
#[cfg(feature = "ssr")]
pub mod assets;
/// The built site's hashed file names and inlined stylesheet.
#[cfg(feature = "ssr")]
pub mod built_site;
/// Which kept pages and data are current, and data kept between renders.
#[cfg(feature = "ssr")]
pub mod cache;
/// The command line.
#[cfg(feature = "ssr")]
pub mod cli;
/// Settings from the environment.
#[cfg(feature = "ssr")]
pub mod config;
/// Article sources: front matter and Markdown.
#[cfg(feature = "ssr")]
pub mod content;
/// The copy check: mistakes found before readers find them.
#[cfg(feature = "ssr")]
pub mod copy_check;
/// Every SQL statement.
#[cfg(feature = "ssr")]
pub mod db;
/// The request edge: routes, layers, the visitor, cookies, guards, form posts, the page cache.
#[cfg(feature = "ssr")]
pub mod http;
/// The tags that load and hydrate the islands.
#[cfg(feature = "ssr")]
pub mod hydration;
/// (ssr) Photos decoded within limits and made into the files pages serve.
#[cfg(feature = "ssr")]
pub mod imaging;
/// Importing article files and the demo content.
#[cfg(feature = "ssr")]
pub mod import;
/// Where photo files are kept: the database or an S3-compatible bucket.
#[cfg(feature = "ssr")]
pub mod media_store;
/// One file per page.
#[cfg(feature = "ssr")]
pub mod pages;
/// The use cases, shared by server functions, form handlers and the command line.
#[cfg(feature = "ssr")]
pub mod services;
/// Shared state of request handlers and pages.
#[cfg(feature = "ssr")]
pub mod state;
/// Logging set-up.
#[cfg(feature = "ssr")]
pub mod telemetry;

/// The layer rules, checked over the source.
#[cfg(all(test, feature = "ssr"))]
mod layers;

/// The browser entry point: hydrate only the islands; the rest of the page stays static HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
