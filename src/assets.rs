//! (ssr) Static assets compressed once, at build time, at the strongest settings.
//!
//! The server compresses responses on the fly at a quick, light setting; for files that never
//! change (their names carry a content hash) it is worth spending seconds once for a smaller
//! download on every visit. `ServeDir` sends `name.br` or `name.gz` when the browser accepts
//! it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What is worth compressing: text and wasm. Images and fonts are compressed already.
const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "svg", "json"];

/// Writes `name.br` and `name.gz` beside every compressible file under `dir` whose
/// compressed copies are missing or older than it. Returns the files compressed.
pub fn precompress(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut done = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            done.extend(precompress(&path)?);
            continue;
        }
        let compressible = path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible || (is_fresh(&path, "br")? && is_fresh(&path, "gz")?) {
            continue;
        }
        let data = std::fs::read(&path)?;
        write_atomically(&sibling(&path, "br"), &brotli(&data)?)?;
        write_atomically(&sibling(&path, "gz"), &gzip(&data)?)?;
        done.push(path);
    }
    Ok(done)
}

/// `a.wasm` → `a.wasm.br`.
fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

fn is_fresh(path: &Path, extension: &str) -> std::io::Result<bool> {
    let Ok(compressed) = std::fs::metadata(sibling(path, extension)) else { return Ok(false) };
    Ok(compressed.modified()? >= std::fs::metadata(path)?.modified()?)
}

/// Quality 11 (the strongest) with a 4 MiB window.
fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(data)?;
        writer.flush()?;
    }
    Ok(out)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut writer = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::best());
    writer.write_all(data)?;
    writer.finish()
}

/// A reader (or the server) never sees half a file: written aside, then renamed over.
fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let temporary = sibling(path, "tmp");
    std::fs::write(&temporary, data)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn compressed_copies_hold_the_same_bytes_and_are_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let wasm: Vec<u8> = (0..50_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/site.abc.wasm"), &wasm).unwrap();
        std::fs::write(dir.path().join("pkg/site.abc.css"), "body { color: #222 }\n".repeat(200)).unwrap();
        std::fs::write(dir.path().join("favicon.ico"), [0u8, 1, 2, 3]).unwrap();

        let mut done = precompress(dir.path()).unwrap();
        done.sort();
        assert_eq!(done, [dir.path().join("pkg/site.abc.css"), dir.path().join("pkg/site.abc.wasm")]);

        let br = std::fs::read(dir.path().join("pkg/site.abc.wasm.br")).unwrap();
        let mut unpacked = Vec::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, wasm);
        assert!(br.len() < wasm.len() / 4, "{} of {}", br.len(), wasm.len());

        let gz = std::fs::read(dir.path().join("pkg/site.abc.wasm.gz")).unwrap();
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, wasm);

        assert!(!dir.path().join("favicon.ico.br").exists(), "not a compressible type");
        assert!(precompress(dir.path()).unwrap().is_empty(), "fresh copies are kept");
    }
}
