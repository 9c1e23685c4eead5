//! Pure types shared by the server and the browser; each parses and validates once.

/// Article and topic data as pages display them.
pub mod article;
/// URL slugs: validated, and derived from headlines and topic names.
pub mod slug;
