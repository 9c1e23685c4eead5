//! Reply and Report under a comment. The server renders them as links to the page with the
//! form open, which is how they work without JavaScript; once hydrated they are buttons that
//! open the forms in place, copied from the page's templates (`CommentFormTemplates`).

use leptos::prelude::*;

pub const REPORTED: &str = "Thank you. A moderator will review this comment.";
pub const ALREADY_REPORTED: &str = "You have already reported this comment.";

/// `children` holds `.comment-actions` (with the comment's `data-comment` id and
/// `data-author` name, and links marked `data-panel="reply"` / `"report"`), a `role=status`
/// region `.comment-status`, and any form the server rendered open.
#[island]
pub fn CommentActions(children: Children) -> impl IntoView {
    super::enhanced_div!("comment-interaction", children, browser::enhance)
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;

    use leptos::task::spawn_local;
    use web_sys::{Element, Event};

    use super::{ALREADY_REPORTED, REPORTED};
    use crate::api::report_comment::report_comment;
    use crate::components::comment_forms::{COMMENT_PLACEHOLDER, REPLY_TEMPLATE, REPORT_TEMPLATE};
    use crate::domain::comment::{ReportForm, ReportReason};
    use crate::domain::text::FieldError;
    use crate::error::AppError;
    use crate::islands::comment_box::browser::send_comment;
    use crate::islands::comment_box::posted_notice;
    use crate::islands::dom;

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Panel {
        Reply,
        Report,
    }

    impl Panel {
        fn parse(name: &str) -> Option<Self> {
            match name {
                "reply" => Some(Self::Reply),
                "report" => Some(Self::Report),
                _ => None,
            }
        }

        fn name(self) -> &'static str {
            match self {
                Self::Reply => "reply",
                Self::Report => "report",
            }
        }

        fn form_selector(self) -> &'static str {
            match self {
                Self::Reply => "form.comment-form",
                Self::Report => "form.report-form",
            }
        }
    }

    struct Actions {
        root: Element,
        comment: i64,
        author: String,
    }

    impl Actions {
        fn button_id(&self, panel: Panel) -> String {
            format!("comment-{}-{}", self.comment, panel.name())
        }

        fn open_panel(&self) -> Option<Panel> {
            [Panel::Reply, Panel::Report].into_iter().find(|p| dom::find(&self.root, p.form_selector()).is_some())
        }

        fn status(&self) -> Option<Element> {
            dom::find(&self.root, ".comment-status")
        }

        fn mark_expanded(&self, open: Option<Panel>) {
            for panel in [Panel::Reply, Panel::Report] {
                if let Some(button) = dom::by_id(&self.button_id(panel)) {
                    let _ = button.set_attribute("aria-expanded", if open == Some(panel) { "true" } else { "false" });
                }
            }
        }

        /// Closes whichever form is open and gives the focus back to `focus_on`'s button.
        fn close(&self, focus_on: Option<Panel>) {
            for form in dom::find_all(&self.root, "form") {
                form.remove();
            }
            self.mark_expanded(None);
            if let Some(panel) = focus_on {
                dom::focus(dom::by_id(&self.button_id(panel)));
            }
        }

        fn toggle(&self, panel: Panel) {
            let opening = self.open_panel() != Some(panel);
            self.close(None);
            if !opening {
                return;
            }
            let template = if panel == Panel::Reply { REPLY_TEMPLATE } else { REPORT_TEMPLATE };
            let Some(form) = dom::from_template(template, COMMENT_PLACEHOLDER, &self.comment.to_string()) else {
                return;
            };
            if panel == Panel::Reply {
                let _ = form.set_attribute("aria-label", &format!("Reply to {}", self.author));
            }
            dom::take_over_forms(&form);
            let _ = match dom::find(&self.root, "ol.replies") {
                Some(replies) => self.root.insert_before(&form, Some(&replies)).map(|_| ()),
                None => self.root.append_child(&form).map(|_| ()),
            };
            dom::show_notice(self.status(), None);
            self.mark_expanded(Some(panel));
            dom::focus(dom::by_id(&match panel {
                Panel::Reply => format!("reply-{}-name", self.comment),
                Panel::Report => format!("report-{}-reason-{}", self.comment, ReportReason::Spam.as_str()),
            }));
        }

        fn reply(self: &Rc<Self>, event: &Event, form: Element) {
            let actions = self.clone();
            send_comment(event, form, &format!("reply-{}", self.comment), move |reply| {
                dom::show_notice(actions.status(), Some(posted_notice(reply.pending)));
                let replies = dom::find(&actions.root, "ol.replies").unwrap_or_else(|| {
                    let list = dom::element("ol", "replies", None);
                    let _ = actions.root.append_child(&list);
                    list
                });
                let _ = replies.append_child(&dom::posted_comment(&reply));
                actions.close(Some(Panel::Reply));
            });
        }

        fn report(self: &Rc<Self>, event: &Event, form: Element) {
            let Some(fields) = dom::Fields::of(&form) else { return };
            event.prevent_default();
            let prefix = format!("report-{}", self.comment);
            let slug = form.get_attribute("data-slug").unwrap_or_default();
            let report = ReportForm { reason: fields.get("reason"), note: fields.get("note") };
            if let Err(problems) = report.parse() {
                show_problems(&prefix, &problems);
                return;
            }
            if !dom::set_sending(&form, true) {
                return;
            }
            let actions = self.clone();
            spawn_local(async move {
                let result = report_comment(slug, actions.comment, report).await;
                dom::set_sending(&form, false);
                match result {
                    Ok(new) => {
                        dom::show_notice(actions.status(), Some(if new { REPORTED } else { ALREADY_REPORTED }));
                        actions.close(Some(Panel::Report));
                    }
                    Err(AppError::Invalid(problems)) => show_problems(&prefix, &problems),
                    Err(other) => dom::show_failure(&form, Some(&other.to_string())),
                }
            });
        }
    }

    fn show_problems(prefix: &str, problems: &[FieldError]) {
        match dom::show_problems(prefix, &["reason", "note"], problems) {
            Some("reason") => dom::focus(dom::by_id(&format!("{prefix}-reason-{}", ReportReason::Spam.as_str()))),
            Some(field) => dom::focus(dom::by_id(&format!("{prefix}-{field}"))),
            None => {}
        }
    }

    pub fn enhance(root: Element) {
        let Some(data) = dom::find(&root, "[data-comment]") else { return };
        let Some(comment) = data.get_attribute("data-comment").and_then(|c| c.parse().ok()) else { return };
        let author = data.get_attribute("data-author").unwrap_or_default();
        let actions = Rc::new(Actions { root, comment, author });
        dom::take_over_forms(&actions.root);
        // The links become buttons that open the forms here.
        for link in dom::find_all(&actions.root, "a[data-panel]") {
            let button = dom::element("button", &link.class_name(), link.text_content().as_deref());
            let _ = button.set_attribute("type", "button");
            button.set_id(&link.id());
            let _ = button.set_attribute("data-panel", &link.get_attribute("data-panel").unwrap_or_default());
            let _ = link.replace_with_with_node_1(&button);
        }
        actions.mark_expanded(actions.open_panel());

        let on_click = actions.clone();
        dom::on(&actions.root, "click", move |event| {
            if let Some(panel) = dom::target_closest(&event, "[data-panel]")
                .and_then(|b| b.get_attribute("data-panel"))
                .and_then(|name| Panel::parse(&name))
            {
                on_click.toggle(panel);
            } else if dom::target_closest(&event, "[data-cancel]").is_some() {
                event.prevent_default();
                let open = on_click.open_panel();
                on_click.close(open);
            }
        });
        let on_submit = actions.clone();
        dom::on(&actions.root, "submit", move |event| {
            if let Some(form) = dom::target_closest(&event, "form.comment-form") {
                on_submit.reply(&event, form);
            } else if let Some(form) = dom::target_closest(&event, "form.report-form") {
                on_submit.report(&event, form);
            }
        });
    }
}
