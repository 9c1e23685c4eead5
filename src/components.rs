//! Presentational pieces shared by pages; no I/O.

/// Cards for lists of articles, and the related-articles box.
pub mod article_card;
/// `<time>` elements with readable dates.
pub mod dates;
/// Site header and footer.
pub mod layout;
/// Labelled form fields with their errors.
pub mod form;
/// Previous / next page links.
pub mod pagination;
