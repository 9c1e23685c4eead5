//! Presentational pieces shared by pages; no I/O.

/// Cards for lists of articles, and the related-articles box.
pub mod article_card;
/// `<time>` elements with readable dates.
pub mod dates;
/// Labelled form fields with their errors.
pub mod form;
/// Site header and footer.
pub mod layout;
/// Previous / next page links.
pub mod pagination;
