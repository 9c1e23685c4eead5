//! The comment form under the article. The server renders it (`CommentFormView`) and it posts
//! without JavaScript; once hydrated it sends through a server function and shows errors
//! beside the fields and the new comment below the form, without a page load.

use leptos::prelude::*;

/// What the author reads once a comment is stored.
pub fn posted_notice(pending: bool) -> &'static str {
    if pending { "Your comment is awaiting moderation." } else { "Your comment is published." }
}

/// `children` is the form (`CommentFormView`) and a `role=status` region (`.comment-status`)
/// for the outcome. Islands here take no props: what they need is in the markup, so the wasm
/// carries no JSON decoder for props.
#[island]
pub fn CommentBox(children: Children) -> impl IntoView {
    super::enhanced_div!("comment-box", children, browser::enhance)
}

#[cfg(feature = "hydrate")]
pub(super) mod browser {
    use leptos::task::spawn_local;
    use web_sys::{Element, Event};

    use super::posted_notice;
    use crate::api::post_comment::post_comment;
    use crate::domain::comment::{CommentForm, Posted};
    use crate::domain::text::FieldError;
    use crate::error::AppError;
    use crate::islands::dom;

    pub fn enhance(root: Element) {
        dom::take_over_forms(&root);
        let status = dom::find(&root, ".comment-status");
        dom::on(&root.clone(), "submit", move |event| {
            let Some(form) = dom::target_closest(&event, "form.comment-form") else { return };
            let (root, status) = (root.clone(), status.clone());
            send_comment(&event, form, "comment", move |comment| {
                dom::show_notice(status, Some(posted_notice(comment.pending)));
                let list = dom::find(&root, "ol.comment-list").unwrap_or_else(|| {
                    let list = dom::element("ol", "comment-list", None);
                    let _ = root.append_child(&list);
                    list
                });
                let _ = list.prepend_with_node_1(&dom::posted_comment(&comment));
            });
        });
    }

    /// Checks a comment form by the server's rules and sends it through the server function.
    /// Stored: its text is emptied and `done` runs. Refused: the problems show beside the
    /// fields, with what was typed kept.
    pub fn send_comment(event: &Event, form: Element, prefix: &str, done: impl FnOnce(Posted) + 'static) {
        // Without a readable form the browser posts it as a plain form.
        let Some(fields) = dom::Fields::of(&form) else { return };
        let slug = form.get_attribute("data-slug").unwrap_or_default();
        event.prevent_default();
        let input = CommentForm {
            name: fields.get("name"),
            email: fields.get("email"),
            body: fields.get("body"),
            parent: fields.get("parent"),
            website: fields.get("website"),
            notify: fields.get("notify"),
        };
        if let Err(problems) = input.parse() {
            show_problems(&form, prefix, &problems);
            return;
        }
        if !dom::set_sending(&form, true) {
            return;
        }
        let prefix = prefix.to_owned();
        spawn_local(async move {
            let result = post_comment(slug, input).await;
            dom::set_sending(&form, false);
            match result {
                Ok(comment) => {
                    show_problems(&form, &prefix, &[]);
                    dom::set_text_area(&format!("{prefix}-body"), "");
                    done(comment);
                }
                Err(AppError::Invalid(problems)) => show_problems(&form, &prefix, &problems),
                Err(other) => dom::show_failure(&form, Some(&other.to_string())),
            }
        });
    }

    fn show_problems(form: &Element, prefix: &str, problems: &[FieldError]) {
        let first = dom::show_problems(prefix, &["name", "email", "body"], problems);
        dom::show_failure(form, problems.iter().find(|p| p.field == "parent").map(|p| p.message.as_str()));
        if let Some(field) = first {
            dom::focus(dom::by_id(&format!("{prefix}-{field}")));
        }
    }
}
