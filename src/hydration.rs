//! (ssr) The tags that load the islands: preloads for their JS and wasm, and the inline
//! module (with this response's CSP nonce) that hydrates them.
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

#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Islands mode: the page itself is not hydrated, only the islands in it.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let (js, wasm) = asset_paths(&options);
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=js.clone() />
        <link rel="preload" href=wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
        <script type="module" nonce=nonce>{format!("{LOADER}({js:?}, {wasm:?});")}</script>
    }
}
