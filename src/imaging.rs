//! (ssr) Photos made into the files pages serve: decoded within limits (pixels, not only
//! bytes), turned upright, and encoded again at each width as JPEG and WebP, plus the crops
//! search engines ask for. Re-encoding from pixels writes no metadata: EXIF (GPS, camera,
//! owner) never reaches a stored file. CPU-bound: callers run it off the async workers.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};

use crate::domain::media::{
    CROP_WIDTH, Crop, Format, MAX_PIXELS, MAX_SIDE, Refusal, check_dimensions, scaled_height, widths_for,
};

/// JPEG quality: indistinguishable from the original at news-page sizes.
const JPEG_QUALITY: u8 = 82;
/// libwebp's quality scale; about the JPEG's look at two thirds of its size.
const WEBP_QUALITY: f32 = 78.0;

/// One file made from an upload.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// `w`, or a crop's name (`16x9`, `4x3`, `1x1`).
    pub kind: &'static str,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Everything stored of an upload: the upright image's size and its files.
#[derive(Debug, Clone)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub files: Vec<Encoded>,
}

/// Reads an image's size from its header alone, then decodes it only when within limits.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, Refusal> {
    let reader = || ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| Refusal::Damaged);
    // The header alone, without the decoder's allocation limit (which a bomb's claimed
    // size trips before its size can be read and reported).
    let mut header = reader()?;
    header.no_limits();
    let (width, height) = header.into_dimensions().map_err(|_| Refusal::Damaged)?;
    check_dimensions(width, height)?;
    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // The decoded pixels (four bytes each at most) and the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Refusal::Damaged)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|error| match error {
        image::ImageError::Limits(_) => Refusal::TooManyPixels { width, height },
        _ => Refusal::Damaged,
    })?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Decodes an upload and makes every file of it.
pub fn process(bytes: &[u8]) -> Result<Processed, Refusal> {
    let image = decode(bytes)?;
    Ok(variants(image))
}

/// The widths in JPEG and WebP, and the crops in JPEG, of an upright image. Transparent
/// areas are laid on white (JPEG has no transparency).
pub fn variants(image: DynamicImage) -> Processed {
    let rgb = on_white(image);
    let (width, height) = rgb.dimensions();
    let source = Image::from_vec_u8(width, height, rgb.into_raw(), PixelType::U8x3).expect("RGB buffer of its size");
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut files = Vec::new();

    // Narrower widths are made from the widest: a fraction of the work of reading the whole
    // original each time, and no visible difference.
    let widths = widths_for(width);
    let widest = *widths.last().expect("at least one width");
    let top = resized(&mut resizer, &source, widest, scaled_height(widest, width, height), &options);
    for &w in &widths {
        if w == widest {
            files.push(jpeg("w", &top));
            files.push(webp("w", &top));
        } else {
            let image = resized(&mut resizer, &top, w, scaled_height(w, width, height), &options);
            files.push(jpeg("w", &image));
            files.push(webp("w", &image));
        }
    }
    for crop in Crop::ALL {
        let (x, y, cw, ch) = crop.centred(width, height);
        let out_w = CROP_WIDTH.min(cw);
        let (rw, rh) = crop.ratio();
        let out_h = (out_w * rh / rw).max(1);
        let cropped = options.crop(f64::from(x), f64::from(y), f64::from(cw), f64::from(ch));
        let image = resized(&mut resizer, &source, out_w, out_h, &cropped);
        files.push(jpeg(crop.as_str(), &image));
    }
    Processed { width, height, files }
}

fn on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut rgb = RgbImage::new(width, height);
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = pixel.0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        out.0 = [over(r), over(g), over(b)];
    }
    rgb
}

fn resized(resizer: &mut Resizer, source: &Image, width: u32, height: u32, options: &ResizeOptions) -> Image<'static> {
    let mut out = Image::new(width, height, PixelType::U8x3);
    if (width, height) == (source.width(), source.height())
        && matches!(options.cropping, fast_image_resize::SrcCropping::None)
    {
        out.buffer_mut().copy_from_slice(source.buffer());
        return out;
    }
    resizer.resize(source, &mut out, options).expect("same pixel types, crop inside the image");
    out
}

fn jpeg(kind: &'static str, image: &Image) -> Encoded {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode(image.buffer(), image.width(), image.height(), image::ExtendedColorType::Rgb8)
        .expect("encoding to memory");
    Encoded { kind, format: Format::Jpeg, width: image.width(), height: image.height(), bytes }
}

fn webp(kind: &'static str, image: &Image) -> Encoded {
    let bytes = webp::Encoder::from_rgb(image.buffer(), image.width(), image.height()).encode(WEBP_QUALITY).to_vec();
    Encoded { kind, format: Format::Webp, width: image.width(), height: image.height(), bytes }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A JPEG of `width` × `height` with a gradient, as a camera would write it (no EXIF).
    pub(crate) fn sample_jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&image).unwrap();
        bytes
    }

    #[test]
    fn every_width_and_crop_is_made_in_its_format() {
        let processed = process(&sample_jpeg(1000, 750)).unwrap();
        assert_eq!((processed.width, processed.height), (1000, 750));
        let whole: Vec<(u32, u32, Format)> =
            processed.files.iter().filter(|f| f.kind == "w").map(|f| (f.width, f.height, f.format)).collect();
        assert_eq!(
            whole,
            [
                (320, 240, Format::Jpeg),
                (320, 240, Format::Webp),
                (640, 480, Format::Jpeg),
                (640, 480, Format::Webp),
                (960, 720, Format::Jpeg),
                (960, 720, Format::Webp),
                (1000, 750, Format::Jpeg),
                (1000, 750, Format::Webp),
            ]
        );
        for file in &processed.files {
            assert_eq!(Format::sniff(&file.bytes), Some(file.format), "{} {}", file.kind, file.width);
        }
        let crops: Vec<(&str, u32, u32)> =
            processed.files.iter().filter(|f| f.kind != "w").map(|f| (f.kind, f.width, f.height)).collect();
        assert_eq!(crops, [("16x9", 1000, 562), ("4x3", 1000, 750), ("1x1", 750, 750)]);
    }

    #[test]
    fn a_bomb_is_refused_from_its_header() {
        // A valid PNG header claiming 60,000 × 60,000 pixels: refused before any decoding.
        let mut png = Vec::new();
        png.extend_from_slice(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&60_000u32.to_be_bytes());
        ihdr.extend_from_slice(&60_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // A few bytes of pixel data and the end: the whole file is under 100 bytes.
        for (kind, data) in
            [(&b"IDAT"[..], &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01][..]), (&b"IEND"[..], &[][..])]
        {
            let chunk = [kind, data].concat();
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(&chunk);
            png.extend_from_slice(&crc32(&chunk).to_be_bytes());
        }
        assert_eq!(process(&png).unwrap_err(), Refusal::TooManyPixels { width: 60_000, height: 60_000 });
    }

    #[test]
    fn a_file_cut_before_its_pixels_is_damaged() {
        // (A JPEG cut inside its pixels decodes, grey below the cut, as browsers show it.)
        let jpeg = sample_jpeg(200, 100);
        assert_eq!(process(&jpeg[..120]).unwrap_err(), Refusal::Damaged);
    }

    /// PNG's chunk checksum.
    pub(crate) fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
