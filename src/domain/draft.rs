//! The article editor's fields as typed, before they are saved: what the live preview and
//! its copy check receive.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    pub dek: String,
    pub body: String,
    pub lang: String,
    /// The article's address; `None` for one not saved yet.
    pub slug: Option<String>,
}
