//! (ssr) The tags that load the islands: preloads for their JS and wasm, and the inline
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

const LOADER: &str = include_str!("island_loader.js");

/// The `/pkg` paths of the JS and wasm, with the content hashes cargo-leptos wrote into its
/// hash file beside the server binary (read once).
fn asset_paths(options: &LeptosOptions) -> &'static (String, String) {
    static PATHS: OnceLock<(String, String)> = OnceLock::new();
    PATHS.get_or_init(|| {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let (mut js, mut wasm) = (pkg.clone(), pkg);
        if options.hash_files {
            let hash_file = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
            let hashes = hash_file.and_then(|path| std::fs::read_to_string(path).ok()).unwrap_or_default();
            for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
                match file.trim() {
                    "js" => js.push_str(&format!(".{}", hash.trim())),
                    "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                    _ => {}
                }
            }
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            // wasm-bindgen's own name, when cargo-leptos did not name the output.
            wasm.push_str("_bg");
        }
        (format!("{js}.js"), format!("{wasm}.wasm"))
    })
}

/// The inline module: the loader called with this build's asset paths.
fn loader_script(options: &LeptosOptions) -> &'static str {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let (js, wasm) = asset_paths(options);
        format!("{LOADER}({js:?}, {wasm:?});")
    })
}

/// The CSP source that allows the inline module: `'sha256-…'` of its exact text.
pub fn loader_hash(options: &LeptosOptions) -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(loader_script(options).as_bytes());
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
    })
}

#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Islands mode: the page itself is not hydrated, only the islands in it.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let (js, wasm) = asset_paths(&options);
    view! {
        <link rel="modulepreload" href=js.clone() />
        <link rel="preload" href=wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
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
