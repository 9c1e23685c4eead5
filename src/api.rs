//! Entry points that turn requests into data: parse input, call `db`, map errors.

/// (ssr) What the public article pages load.
#[cfg(feature = "ssr")]
pub mod articles;
/// Reader suggestions for corrections: the widget's server function and the plain form.
pub mod corrections;
