//! (ssr) Lead images for the demo site: landscapes painted here (the binary carries no
//! photo files, and no photographer's rights), put through the same library processing as
//! an upload, so a newcomer sees the photo features working on the first page they open.

use image::{Rgb, RgbImage};

use crate::db::{self, Pool};
use crate::domain::media::MediaText;
use crate::media_store::MediaStore;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 800;
const CREDIT: &str = "Illustration: Copydesk demo";

/// What one painting shows.
struct Scene {
    /// The sky at the top and at the horizon.
    sky: [[f32; 3]; 2],
    sun: [f32; 3],
    /// The sun's centre and radius, as fractions of the width and height.
    sun_at: (f32, f32, f32),
    far: [f32; 3],
    near: [f32; 3],
    water: [f32; 3],
    /// Where land meets water, as a fraction of the height.
    horizon: f32,
    /// Towers instead of hills in front.
    skyline: bool,
    seed: u32,
}

/// (article slug, file name, alt text, caption, scene)
const DEMO_PHOTOS: &[(&str, &str, &str, &str, Scene)] = &[
    (
        super::DEMO_DISCUSSED,
        "eastern-skyline.jpg",
        "Illustration: the eastern district's towers dark against a pink dawn sky, reflected in the river",
        "The eastern district at dawn, where the new line will run",
        Scene {
            sky: [[62.0, 78.0, 140.0], [246.0, 170.0, 150.0]],
            sun: [255.0, 226.0, 170.0],
            sun_at: (0.7, 0.52, 0.05),
            far: [96.0, 92.0, 130.0],
            near: [38.0, 36.0, 58.0],
            water: [70.0, 80.0, 120.0],
            horizon: 0.66,
            skyline: true,
            seed: 3,
        },
    ),
    (
        "river-temperatures-hit-record-as-anglers-report-fish-deaths",
        "river-heat.jpg",
        "Illustration: a low orange sun over a wide, still river between dry brown hills",
        "The river in the evening heat",
        Scene {
            sky: [[196.0, 98.0, 46.0], [252.0, 208.0, 120.0]],
            sun: [255.0, 244.0, 200.0],
            sun_at: (0.32, 0.5, 0.07),
            far: [168.0, 110.0, 70.0],
            near: [104.0, 70.0, 40.0],
            water: [150.0, 96.0, 60.0],
            horizon: 0.62,
            skyline: false,
            seed: 11,
        },
    ),
    (
        "record-field-of-11-000-runners-expected-for-kellsbury-marathon",
        "kellsbury-hills.jpg",
        "Illustration: green hills under a pale morning sky above a lake",
        "The hills the marathon route climbs after the 30th kilometre",
        Scene {
            sky: [[120.0, 170.0, 220.0], [222.0, 236.0, 240.0]],
            sun: [255.0, 252.0, 232.0],
            sun_at: (0.8, 0.2, 0.045),
            far: [110.0, 150.0, 130.0],
            near: [52.0, 100.0, 60.0],
            water: [90.0, 140.0, 170.0],
            horizon: 0.7,
            skyline: false,
            seed: 29,
        },
    ),
];

/// Paints the demo's images, makes each into its library files and sets it as its story's
/// lead image. Stories that are not there are passed over.
pub async fn seed_photos(pool: &Pool, media: &MediaStore) -> anyhow::Result<usize> {
    let mut seeded = 0;
    for (slug, file_name, alt, caption, scene) in DEMO_PHOTOS {
        let Ok(article) = crate::services::editing::editable(pool, slug).await else { continue };
        let processed = tokio::task::spawn_blocking(move || {
            let jpeg = encode(&paint(scene));
            crate::imaging::process(&jpeg)
        })
        .await?
        .map_err(|refusal| anyhow::anyhow!("demo photo {file_name}: {refusal}"))?;
        let words = MediaText { alt: (*alt).to_owned(), caption: (*caption).to_owned(), credit: CREDIT.to_owned() }
            .validate()
            .map_err(|errors| anyhow::anyhow!("demo photo {file_name}: {errors:?}"))?;
        let id = crate::services::media::store(pool, media, None, file_name, &words, &processed)
            .await
            .map_err(|e| anyhow::anyhow!("demo photo {file_name}: {e}"))?;
        let lead = db::media::Lead { media_id: id, alt: None, caption: None, credit: None };
        let body_ids = crate::content::markdown::media_ids(&article.content.body_md);
        db::media::set_lead(pool, article.id, Some(&lead), &body_ids).await?;
        seeded += 1;
    }
    Ok(seeded)
}

fn encode(image: &RgbImage) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(image)
        .expect("encoding to memory does not fail");
    jpeg
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/// A small deterministic hash: grain, and the towers' heights.
fn hash(mut n: u32) -> u32 {
    n ^= n >> 16;
    n = n.wrapping_mul(0x7feb_352d);
    n ^= n >> 15;
    n = n.wrapping_mul(0x846c_a68b);
    n ^ (n >> 16)
}

fn paint(scene: &Scene) -> RgbImage {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let seed = scene.seed as f32;
    let horizon = scene.horizon * h;
    let (sun_x, sun_y, sun_r) = (scene.sun_at.0 * w, scene.sun_at.1 * h, scene.sun_at.2 * w);
    let ridge = |x: f32, scale: f32, freq: f32| {
        scale * h * (1.0 + 0.5 * (x * freq + seed).sin() + 0.25 * (x * freq * 3.1 + seed * 2.0).sin())
    };
    RgbImage::from_fn(WIDTH, HEIGHT, |px, py| {
        let (x, y) = (px as f32, py as f32);
        let far_top = horizon - ridge(x, 0.09, 0.0041);
        let near_top = if scene.skyline {
            let block = px / 46;
            let tall = hash(block.wrapping_add(scene.seed * 977)) % 100;
            horizon - h * (0.05 + tall as f32 / 100.0 * 0.22)
        } else {
            horizon - ridge(x, 0.04, 0.0093)
        };
        let sky_at = |y: f32| {
            let mut colour = mix(scene.sky[0], scene.sky[1], y / horizon);
            let d = ((x - sun_x).powi(2) + (y - sun_y).powi(2)).sqrt();
            let glow = (1.0 - d / (sun_r * 7.0)).max(0.0).powi(2) * 0.6;
            colour = mix(colour, scene.sun, glow);
            if d < sun_r { scene.sun } else { colour }
        };
        let mut colour = if y < far_top.min(near_top) {
            sky_at(y)
        } else if y < near_top {
            // Haze: the far hills fade into the sky near their tops.
            mix(scene.far, scene.sky[1], 0.35 * (1.0 - (y - far_top) / (horizon - far_top + 1.0)))
        } else if y < horizon {
            let lit = scene.skyline && hash(px / 9 + py / 14 * 7919 + scene.seed).is_multiple_of(23);
            if lit { [250.0, 220.0, 150.0] } else { scene.near }
        } else {
            // Water: the sky reflected, darker with depth, broken by ripples.
            let depth = (y - horizon) / (h - horizon);
            let ripple = ((y * 0.9 + (x * 0.013).sin() * 6.0).sin() * 0.5 + 0.5) * 0.25;
            let mirrored = sky_at((2.0 * horizon - y).max(0.0));
            mix(mix(mirrored, scene.water, 0.45 + depth * 0.4), scene.water, ripple)
        };
        // Grain, as a camera's sensor gives: JPEG then compresses it as it does a photo.
        let grain = (hash(px.wrapping_mul(73_856_093) ^ py.wrapping_mul(19_349_663)) % 13) as f32 - 6.0;
        for c in &mut colour {
            *c += grain;
        }
        Rgb(colour.map(|c| c.clamp(0.0, 255.0) as u8))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scene_is_a_picture_not_a_flat_colour() {
        for (_, name, alt, _, scene) in DEMO_PHOTOS {
            let image = paint(scene);
            let top = image.get_pixel(WIDTH / 2, 5);
            let bottom = image.get_pixel(WIDTH / 2, HEIGHT - 5);
            let distance: i32 = top.0.iter().zip(bottom.0).map(|(a, b)| (*a as i32 - b as i32).abs()).sum();
            assert!(distance > 40, "{name}: sky and water differ ({top:?} {bottom:?})");
            assert!(alt.starts_with("Illustration:"), "{name}: the alt text says it is not a photograph");
            let jpeg = encode(&image);
            assert!(jpeg.len() > 50_000, "{name}: compresses like a photo, {} bytes", jpeg.len());
        }
    }
}
