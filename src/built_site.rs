//! (ssr) What the build wrote under the site root: the content-hashed names of the islands'
//! JS and wasm and of the stylesheet (from the hash file cargo-leptos writes beside the
//! server binary), and the stylesheet's text, read once.

use std::sync::OnceLock;

use leptos::config::LeptosOptions;

pub struct BuiltSite {
    /// `/pkg/...` paths.
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// The stylesheet itself, inlined into every page (`app::shell`), and the CSP source
    /// that allows exactly that text. `None` when the file is missing.
    pub inline_css: Option<(String, String)>,
}

/// The build's files, looked up the first time a page needs them.
pub fn built_site(options: &LeptosOptions) -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let (mut js, mut wasm, mut css) = (pkg.clone(), pkg.clone(), pkg);
        if options.hash_files {
            let hash_file = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
            let hashes = hash_file.and_then(|path| std::fs::read_to_string(path).ok()).unwrap_or_default();
            for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
                let name = match file.trim() {
                    "js" => &mut js,
                    "wasm" => &mut wasm,
                    "css" => &mut css,
                    _ => continue,
                };
                name.push('.');
                name.push_str(hash.trim());
            }
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            // wasm-bindgen's own name, when cargo-leptos did not name the output.
            wasm.push_str("_bg");
        }
        let (js, wasm, css) = (format!("{js}.js"), format!("{wasm}.wasm"), format!("{css}.css"));
        let file = format!("{}{css}", options.site_root);
        let inline_css = match std::fs::read_to_string(&file) {
            Ok(text) => {
                let hash = csp_hash(&text);
                Some((text, hash))
            }
            Err(error) => {
                tracing::warn!(%error, file, "the stylesheet could not be read: pages link it instead of inlining it");
                None
            }
        };
        BuiltSite { js, wasm, css, inline_css }
    })
}

/// The Content-Security-Policy source allowing an inline element with exactly `text`.
pub fn csp_hash(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes())))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hash_is_what_browsers_compute() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(super::csp_hash("alert(1)"), "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    }
}
