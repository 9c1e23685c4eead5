//! (ssr) `/staff/dictionary`: the house dictionary the copy check accepts (names, places,
//! terms), and the site's language (admins).

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::{PageTitle, load_page, query};
use crate::services::copy_check::{self, MAX_WORD_CHARS};

/// A post on this page that was refused, shown again with its error.
#[derive(Debug, Clone)]
pub struct DictionaryRejected {
    pub field: &'static str,
    pub value: String,
    pub error: AppError,
}

fn done_message(code: &str) -> Option<String> {
    Some(match code {
        "removed" => "Removed from the house dictionary.".to_owned(),
        "language" => "Language saved.".to_owned(),
        _ => return None,
    })
}

#[component]
pub fn DictionaryPage() -> impl IntoView {
    let added = query("added").map(|w| format!("\u{201c}{w}\u{201d} is in the house dictionary."));
    let done = added.or_else(|| query("done").as_deref().and_then(done_message));
    let rejected = use_context::<DictionaryRejected>();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let words = copy_check::house_words(&state.pool).await?;
            let lang = copy_check::site_language(&state.pool).await?;
            Ok::<_, AppError>((staff, words, lang))
        },
        move |(staff, words, lang)| {
            let done = done.clone();
            let is_admin = staff.role.allows(Role::Admin);
            let error_for = |field: &str| {
                rejected
                    .as_ref()
                    .filter(|r| r.field == field)
                    .map(|r| (r.value.clone(), r.error.field(field).unwrap_or("Please check this field.").to_owned()))
            };
            let (word_value, word_error) = error_for("word").unzip();
            let (lang_value, lang_error) = error_for("language").unzip();
            let count = words.len();
            let rows = words
                .into_iter()
                .map(|w| {
                    let label = format!("Remove {}", w.word);
                    view! {
                        <tr>
                            <td>{w.word.clone()}</td>
                            <td>{w.added_by.clone().unwrap_or_default()}</td>
                            <td><Time at=w.added_at /></td>
                            <td>
                                <form method="post" action="/staff/dictionary/remove">
                                    <input type="hidden" name="word" value=w.word.clone() />
                                    <button type="submit" class="button-quiet" aria-label=label>"Remove"</button>
                                </form>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let word_invalid = word_error.as_ref().map(|_| "true");
            let lang_invalid = lang_error.as_ref().map(|_| "true");
            view! {
                <PageTitle text="House dictionary · Staff desk" />
                <StaffFrame staff current="/staff/dictionary">
                    <h1 class="page-title">"House dictionary"</h1>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    <p>"The copy check accepts these words as written, besides the dictionary and every name in a \
                        published story. Add names, places and terms it flags that are right."</p>
                    <form method="post" action="/staff/dictionary" class="stacked dictionary-add">
                        <div class="field">
                            <label for="field-word">"Word"</label>
                            <input id="field-word" name="word" type="text" required maxlength=MAX_WORD_CHARS
                                value=word_value aria-invalid=word_invalid
                                aria-describedby=word_error.as_ref().map(|_| "field-word-error") />
                            {word_error.map(|e| view! { <p class="field-error" id="field-word-error">{e}</p> })}
                        </div>
                        <button type="submit">"Add"</button>
                    </form>
                    <h2>{format!("{count} word{}", if count == 1 { "" } else { "s" })}</h2>
                    {(count > 0).then(|| view! {
                        <table class="audit">
                            <thead><tr>
                                <th scope="col">"Word"</th>
                                <th scope="col">"Added by"</th>
                                <th scope="col">"Added"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    })}
                    <h2>"Language"</h2>
                    <p>{format!("The site is in {lang}: pages say so to browsers and screen readers, and the copy \
                        check spells against that dictionary. An article can name its own language.")}</p>
                    {is_admin.then(|| view! {
                        <form method="post" action="/staff/dictionary/language" class="stacked">
                            <div class="field">
                                <label for="field-language">"Site language (a tag such as en-GB, en-US, fr)"</label>
                                <input id="field-language" name="language" type="text" required maxlength="35"
                                    value=lang_value.unwrap_or_else(|| lang.to_string()) aria-invalid=lang_invalid
                                    aria-describedby=lang_error.as_ref().map(|_| "field-language-error") />
                                {lang_error.map(|e| view! { <p class="field-error" id="field-language-error">{e}</p> })}
                            </div>
                            <button type="submit">"Save language"</button>
                        </form>
                    })}
                </StaffFrame>
            }
        },
    )
}
