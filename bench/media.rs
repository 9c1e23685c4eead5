//! Photos (issue 17): the time and peak memory of making a 12-megapixel camera JPEG into
//! every file pages need (`imaging::process`: decode, turn upright, five widths in JPEG and
//! WebP, three crops), and the resizer chosen against the `image` crate's own. `cargo bench
//! --bench media`; `COPYDESK_BENCH_JPEG=FILE` also writes the test photo, for
//! `bench/media.sh`, which serves its files over HTTP next to nginx. Figures in
//! docs/benchmarks.md.

use std::time::{Duration, Instant};

/// A 4000 × 3000 photo-like image: smooth gradients with fine noise, which JPEG compresses
/// about as it does a real photo (a flat image would be unrealistically cheap).
fn photo(width: u32, height: u32) -> image::RgbImage {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let noise = (seed % 24) as i32 - 12;
        let c = |v: i32| (v + noise).clamp(0, 255) as u8;
        let (fx, fy) = (x as i32 * 255 / width as i32, y as i32 * 255 / height as i32);
        image::Rgb([c(fx), c((fx + fy) / 2), c(255 - fy)])
    })
}

/// This process's peak resident memory so far, from /proc (KiB).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Lets the next `peak_kib` report the peak from now on (Linux: write 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let source = photo(4000, 3000);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&source).unwrap();
    if let Ok(path) = std::env::var("COPYDESK_BENCH_JPEG") {
        std::fs::write(path, &jpeg).unwrap();
    }
    println!("a 12-megapixel JPEG (4000 × 3000), {:.1} MB", jpeg.len() as f64 / 1e6);

    let runs = 5;
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    let mut files = 0;
    let mut stored = 0;
    for _ in 0..runs {
        let before = {
            reset_peak();
            peak_kib()
        };
        let started = Instant::now();
        let processed = copydesk::imaging::process(&jpeg).unwrap();
        times.push(started.elapsed());
        peaks.push(peak_kib().saturating_sub(before));
        files = processed.files.len();
        stored = processed.files.iter().map(|f| f.bytes.len()).sum::<usize>();
    }
    let decode = median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                copydesk::imaging::decode(&jpeg).unwrap();
                started.elapsed()
            })
            .collect(),
    );
    println!(
        "upload made into its files: median {:.0} ms of {runs} (decode alone {:.0} ms); {files} files, {:.2} MB stored",
        median(times).as_secs_f64() * 1e3,
        decode.as_secs_f64() * 1e3,
        stored as f64 / 1e6
    );
    println!("peak memory added while processing: {} MiB (largest of {runs})", peaks.iter().max().unwrap() / 1024);

    // The resizer: fast_image_resize (chosen) against image's Lanczos3, 12 MP to 1920 wide.
    let upright = image::DynamicImage::ImageRgb8(source);
    let started = Instant::now();
    let _ = upright.resize_exact(1920, 1440, image::imageops::FilterType::Lanczos3);
    let theirs = started.elapsed();
    let started = Instant::now();
    let _ = copydesk::imaging::variants(upright.clone());
    let ours = started.elapsed();
    println!(
        "image's Lanczos3, one resize to 1920 wide: {:.0} ms; all {files} files with fast_image_resize: {:.0} ms",
        theirs.as_secs_f64() * 1e3,
        ours.as_secs_f64() * 1e3
    );
}
