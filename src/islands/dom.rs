//! (hydrate) Small DOM helpers for the islands. The islands enhance markup the server has
//! already rendered, so they find and change elements instead of rendering views: that
//! keeps the forms' markup, and the framework code to render it, out of the wasm.

use leptos::prelude::document;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event, EventTarget, HtmlElement};

use crate::domain::comment::{Posted, Segment, paragraphs, segments};
use crate::domain::text::FieldError;

/// Calls `handler` on every `event` at or under `target`, for as long as the page lives.
pub fn on(target: &EventTarget, event: &str, handler: impl FnMut(Event) + 'static) {
    let closure = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

pub fn find(within: &Element, selector: &str) -> Option<Element> {
    within.query_selector(selector).ok().flatten()
}

pub fn find_all(within: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = within.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// The element an event happened on, or its nearest ancestor, matching `selector`.
pub fn target_closest(event: &Event, selector: &str) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}

pub fn focus(element: Option<Element>) {
    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// A new element with a class and text (as text: never parsed as markup).
pub fn element(tag: &str, class: &str, text: Option<&str>) -> Element {
    let element = document().create_element(tag).expect("a known tag");
    if !class.is_empty() {
        element.set_class_name(class);
    }
    if text.is_some() {
        element.set_text_content(text);
    }
    element
}

pub fn set_flag(element: &Element, attribute: &str, on: bool) {
    let _ = if on { element.set_attribute(attribute, "") } else { element.remove_attribute(attribute) };
}

/// Sets what a text area holds (the comment and correction fields are all text areas).
pub fn set_text_area(id: &str, value: &str) {
    if let Some(area) = by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
        area.set_value(value);
    }
}

/// A form's fields as the browser would submit them.
pub struct Fields(web_sys::FormData);

impl Fields {
    pub fn of(form: &Element) -> Option<Self> {
        web_sys::FormData::new_with_form(form.dyn_ref()?).ok().map(Self)
    }

    pub fn get(&self, name: &str) -> String {
        self.0.get(name).as_string().unwrap_or_default()
    }
}

/// Shows each field's problem (or none) beside it, as the server renders it: the text in
/// `{prefix}-{field}-error`, `aria-invalid` on the control, `field-invalid` on its wrapper.
/// Returns the first of `fields` that has a problem.
pub fn show_problems(prefix: &str, fields: &[&'static str], problems: &[FieldError]) -> Option<&'static str> {
    let mut first = None;
    for &field in fields {
        let message = problems.iter().find(|p| p.field == field).map(|p| p.message.as_str());
        if message.is_some() && first.is_none() {
            first = Some(field);
        }
        if let Some(error) = by_id(&format!("{prefix}-{field}-error")) {
            error.set_text_content(message);
        }
        if let Some(control) = by_id(&format!("{prefix}-{field}")) {
            let _ = match message {
                Some(_) => control.set_attribute("aria-invalid", "true"),
                None => control.remove_attribute("aria-invalid"),
            };
            if let Some(wrapper) = control.closest(".field").ok().flatten() {
                let _ = wrapper.class_list().toggle_with_force("field-invalid", message.is_some());
            }
        }
    }
    first
}

/// The form's general error above its button (`[role=alert]`), or none.
pub fn show_failure(form: &Element, message: Option<&str>) {
    if let Some(alert) = find(form, "[role=alert]") {
        alert.set_text_content(message);
        set_flag(&alert, "hidden", message.is_none());
    }
}

/// While a form is being sent its button is disabled; returns false if it already was.
pub fn set_sending(form: &Element, sending: bool) -> bool {
    let Some(button) = find(form, "button[type=submit]") else { return true };
    if sending && button.has_attribute("disabled") {
        return false;
    }
    set_flag(&button, "disabled", sending);
    true
}

/// A success notice in a `role=status` region.
pub fn show_notice(status: Option<Element>, message: Option<&str>) {
    let Some(status) = status else { return };
    status.set_text_content(None);
    if let Some(message) = message {
        let _ = status.append_child(&element("p", "notice notice-success", Some(message)));
    }
}

/// A comment the reader has just posted, built as the server's `CommentHead` and
/// `CommentBody` render one, all text set as text. Reply and Report come with the next page
/// load.
pub fn posted_comment(comment: &Posted) -> Element {
    let item = element("li", "comment comment-new", None);
    item.set_id(&format!("comment-{}", comment.id));
    let head = element("p", "comment-head", None);
    let _ = head.append_child(&element("span", "comment-author", Some(&comment.author_name)));
    if comment.staff {
        let _ = head.append_child(&element("span", "badge badge-staff", Some("Staff")));
    }
    if comment.pending {
        let _ = head.append_child(&element("span", "badge badge-pending", Some("Awaiting moderation")));
    }
    let when = element("span", "comment-when", None);
    let time = element("time", "", Some(&comment.at_label));
    let _ = time.set_attribute("datetime", &comment.at_machine);
    let _ = when.append_child(&time);
    let _ = when.append_with_str_1(" · ");
    let _ = when.append_child(&element("span", "comment-ago", Some("just now")));
    let _ = head.append_child(&when);
    let _ = item.append_child(&head);

    let body = element("div", "comment-body", None);
    for lines in paragraphs(&comment.body) {
        let paragraph = element("p", "", None);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                let _ = paragraph.append_child(&element("br", "", None));
            }
            for segment in segments(line) {
                let _ = match segment {
                    Segment::Text(text) => paragraph.append_with_str_1(text),
                    Segment::Link { text, href } => {
                        let link = element("a", "", Some(text));
                        let _ = link.set_attribute("href", &href);
                        let _ = link.set_attribute("rel", "nofollow ugc noopener");
                        paragraph.append_with_node_1(&link)
                    }
                };
            }
        }
        let _ = body.append_child(&paragraph);
    }
    let _ = item.append_child(&body);
    item
}

/// Marks forms as handled here: the browser's own validation bubbles give way to the
/// errors shown beside the fields.
pub fn take_over_forms(root: &Element) {
    let mut forms = find_all(root, "form");
    if root.matches("form").unwrap_or(false) {
        forms.push(root.clone());
    }
    for form in forms {
        set_flag(&form, "novalidate", true);
    }
}

/// A copy of a `<template>`'s first element with `placeholder` replaced by `value` in every
/// attribute (ids, labels' `for`, `action`, hidden values).
pub fn from_template(template_id: &str, placeholder: &str, value: &str) -> Option<Element> {
    let template = by_id(template_id)?.dyn_into::<web_sys::HtmlTemplateElement>().ok()?;
    let copy = template.content().first_element_child()?.clone_node_with_deep(true).ok()?.dyn_into::<Element>().ok()?;
    let mut elements = find_all(&copy, "*");
    elements.push(copy.clone());
    for element in elements {
        let attributes = element.attributes();
        for i in 0..attributes.length() {
            if let Some(attribute) = attributes.item(i)
                && attribute.value().contains(placeholder)
            {
                attribute.set_value(&attribute.value().replace(placeholder, value));
            }
        }
    }
    Some(copy)
}
