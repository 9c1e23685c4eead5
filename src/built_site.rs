//! (ssr) What the build wrote under the site root: where that is, the content-hashed names
//! of the islands' JS and wasm and of the stylesheet (from the hash file cargo-leptos writes
//! beside the server binary), and the stylesheet's text, read once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use leptos::config::LeptosOptions;

/// The name cargo-leptos gave the build's files (`copydesk.<hash>.css` ...).
pub const OUTPUT_NAME: &str = match option_env!("LEPTOS_OUTPUT_NAME") {
    Some(name) => name,
    None => "copydesk",
};

/// The built site a server found.
pub struct Located {
    pub root: PathBuf,
    /// The hash file naming the build's files, when the build hashed them.
    pub hashes: Option<PathBuf>,
    /// Every place looked at, for the message when nothing was found.
    pub looked_in: Vec<PathBuf>,
}

/// Finds the built site without any setting: `site/` beside the binary (an installed copy),
/// `../site` (the binary inside the build's `target/release`), then the `target/site` of
/// the source tree the binary was built from. `root` is used alone when given.
pub fn locate(root: Option<&Path>) -> Located {
    let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
    let candidates: Vec<PathBuf> = match root {
        Some(root) => vec![root.to_path_buf()],
        None => {
            let built =
                Path::new(env!("CARGO_MANIFEST_DIR")).join(option_env!("LEPTOS_SITE_ROOT").unwrap_or("target/site"));
            let mut candidates: Vec<PathBuf> =
                exe_dir.iter().flat_map(|dir| [dir.join("site"), dir.join("../site")]).collect();
            candidates.push(built);
            candidates
        }
    };
    let found = candidates.iter().find(|dir| dir.join("pkg").is_dir()).unwrap_or(&candidates[0]);
    let root = std::fs::canonicalize(found).unwrap_or_else(|_| found.clone());
    let hash_name = option_env!("LEPTOS_HASH_FILE_NAME").unwrap_or("hash.txt");
    let hashes =
        exe_dir.iter().map(|dir| dir.join(hash_name)).chain([root.join(hash_name)]).find(|file| file.is_file());
    Located { root, hashes, looked_in: candidates }
}

/// The build's files that are missing under the site root (none when the build is whole).
pub fn missing(options: &LeptosOptions) -> Vec<String> {
    let site = built_site(options);
    [&site.css, &site.js, &site.wasm]
        .into_iter()
        .map(|path| format!("{}{path}", options.site_root))
        .filter(|file| !Path::new(file).is_file())
        .collect()
}

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
            let hash_file = locate(Some(Path::new(options.site_root.as_ref()))).hashes;
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
