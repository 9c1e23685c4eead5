//! The islands' server functions, one a file: each reads its caller, calls one service and
//! answers with the status that matches. The plain forms (`http::forms`) call the same
//! services.

/// The comment box's post.
pub mod post_comment;
/// The editor's live preview.
pub mod preview_article;
/// The moderation queue's live counts.
pub mod queue_counts;
/// Reporting a comment.
pub mod report_comment;
/// The correction widget's suggestion.
pub mod suggest_correction;
