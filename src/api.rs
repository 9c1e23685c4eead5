//! Entry points that turn requests into data: parse input, call `db`, map errors.

/// (ssr) What the public article pages load.
#[cfg(feature = "ssr")]
pub mod articles;
