//! (ssr) The tags that load the islands: a preload for their JS (the wasm, 90 KB, is
//! fetched once the page has painted, so it does not compete with the page), and the inline
//! module that hydrates them. The module's text is the same on every page of a build, so
//! the Content-Security-Policy allows it by its hash (`loader_hash`), not by a per-response
//! nonce: kept pages stay byte-identical for every reader.
//!
//! Leptos's own `HydrationScripts` walks every element of the page with an `await` at each
//! one and hydrates all islands in a single task; on a phone that task alone kept
//! Lighthouse's "total blocking time" above its best band. This loader finds the islands
//! with one query and gives each its own task (`island_loader.js`).

use std::sync::OnceLock;

use leptos::prelude::*;

use crate::built_site::{BuiltSite, built_site, csp_hash};

const LOADER: &str = include_str!("island_loader.js");

/// The inline module: the loader called with this build's asset paths.
fn loader_script(options: &LeptosOptions) -> &'static str {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let site = built_site(options);
        format!("{LOADER}({:?}, {:?});", site.js, site.wasm)
    })
}

/// The CSP source that allows the inline module: `'sha256-…'` of its exact text.
pub fn loader_hash(options: &LeptosOptions) -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| csp_hash(loader_script(options)))
}

#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Islands mode: the page itself is not hydrated, only the islands in it.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let BuiltSite { js, .. } = built_site(&options);
    view! {
        <link rel="modulepreload" href=js.clone() />
        <script type="module">{loader_script(&options)}</script>
    }
}

/// The finished document: Leptos 0.8 writes its resource data as inline scripts after
/// `</html>` (empty for these pages; the loader defines the globals they would set) and marks
/// text boundaries with `<!>`, which HTML parses as a bogus comment. Both are invalid HTML;
/// `<!---->` is the same empty comment node, written validly, so islands hydrate as before.
/// `None` when the text is not a whole document.
pub fn finish_document(html: &str) -> Option<String> {
    let end = html.rfind("</html>")? + "</html>".len();
    Some(html[..end].replace("<!>", "<!---->"))
}

#[cfg(test)]
mod tests {
    use super::finish_document;

    #[test]
    fn the_document_ends_at_its_end_and_has_only_valid_comments() {
        let leptos =
            "<!DOCTYPE html><html><body><p>a<!>b</p><!-- x --></body></html><script>__RESOLVED_RESOURCES=[]</script>";
        assert_eq!(
            finish_document(leptos).unwrap(),
            "<!DOCTYPE html><html><body><p>a<!---->b</p><!-- x --></body></html>"
        );
        assert_eq!(finish_document("not a document"), None);
    }
}
