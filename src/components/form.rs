//! Labelled form fields with their errors.

use leptos::prelude::*;

/// A labelled text field with its error, if any, announced and tied to it.
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] required: bool,
    #[prop(optional)] max_chars: Option<usize>,
    #[prop(optional, into)] input_type: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 4)] rows: u32,
    /// The control's id, when a page has two fields of one name (default `field-{name}`).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = [hint.as_ref().map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let invalid = error.as_ref().map(|_| "true");
    // Leptos 0.8 writes a textarea's content (child text or `prop:value`) into the server's
    // HTML unescaped, so `</textarea><script>` typed by a reader would run. The content is
    // escaped here and set as inner HTML, which is always taken verbatim.
    let control = if multiline {
        let content = super::escape_text(&value);
        view! {
            <textarea
                id=id.clone()
                name=name
                rows=rows
                required=required
                maxlength=max_chars
                aria-invalid=invalid
                aria-describedby=described_by
                inner_html=content
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name
                type=input_type.unwrap_or_else(|| "text".into())
                value=value
                required=required
                maxlength=max_chars
                aria-invalid=invalid
                aria-describedby=described_by
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            {control}
            {error.map(|message| view! { <p class="field-error" id=error_id>{message}</p> })}
        </div>
    }
}

/// A field that people never see and bots fill in.
#[component]
pub fn Honeypot() -> impl IntoView {
    view! {
        <div class="hp" aria-hidden="true">
            <label>"Leave this empty" <input name="website" type="text" tabindex="-1" autocomplete="off" /></label>
        </div>
    }
}

/// The errors of a refused form above it, each linking to its field (`#field-NAME`), under
/// `heading` ("The article was not saved:").
pub fn error_summary(
    heading: &'static str,
    errors: &[crate::domain::text::FieldError],
) -> Option<impl IntoView + use<>> {
    error_summary_for(heading, errors, "field")
}

/// Like `error_summary`, for fields whose ids start with `prefix` rather than `field`.
pub fn error_summary_for(
    heading: &'static str,
    errors: &[crate::domain::text::FieldError],
    prefix: &str,
) -> Option<impl IntoView + use<>> {
    (!errors.is_empty()).then(|| {
        let items = errors
            .iter()
            .map(|e| view! { <li><a href=format!("#{prefix}-{}", e.field)>{e.message.clone()}</a></li> })
            .collect_view();
        view! {
            <div class="notice notice-error" role="alert">
                <p>{heading}</p>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// The "Type of problem" choice of a correction suggestion.
#[component]
pub fn ProblemKindField(
    #[prop(into)] selected: String,
    #[prop(default = None)] error: Option<String>,
) -> impl IntoView {
    use crate::domain::suggestion::Kind;
    view! {
        <div class="field">
            <label for="field-kind">"Type of problem"</label>
            <select id="field-kind" name="kind">
                {Kind::ALL.into_iter().map(|k| view! {
                    <option value=k.as_str() selected=selected == k.as_str()>{k.label()}</option>
                }).collect_view()}
            </select>
            {error.map(|m| view! { <p class="field-error">{m}</p> })}
        </div>
    }
}
