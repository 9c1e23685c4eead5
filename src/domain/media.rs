//! Photos in the library and in stories: what a page needs to draw one (its variants'
//! addresses and sizes, alt text, caption, credit), the formats accepted, and the Markdown
//! form that places one in a body (`![alt](media:12 "caption")`).

use serde::{Deserialize, Serialize};

/// The largest file accepted, in bytes (a camera's JPEG is 5–15 MB).
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;
/// The most pixels an image may decode to: a file of a few kilobytes can claim to be
/// 60,000 × 60,000 (a decompression bomb), so the limit is on pixels, not bytes.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The widest and tallest side accepted.
pub const MAX_SIDE: u32 = 12_000;
/// Alt text, caption and credit lengths.
pub const MAX_ALT_CHARS: usize = 300;
pub const MAX_CAPTION_CHARS: usize = 600;
pub const MAX_CREDIT_CHARS: usize = 150;
/// The widths every image is made in (those wider than the original are left out; the
/// original's own width is added when narrower than the widest).
pub const WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];
/// The crops search engines ask of a story's image (`16x9`, `4x3`, `1x1`), this wide.
pub const CROP_WIDTH: u32 = 1200;

/// A format Copydesk reads, known from the file's first bytes (never from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The format the bytes are in, by their signature; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(Self::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Self::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(Self::Webp),
            _ => None,
        }
    }

    /// The format a file name's extension claims.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }

    /// The format a declared content type claims (`None` also for `application/octet-stream`,
    /// which says nothing).
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        match content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            "image/webp" => Some(Self::Webp),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    /// As stored in `media_variants.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WebP",
        }
    }
}

/// Why an upload is refused, in words the person uploading can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Choose a photo to upload.")]
    Empty,
    #[error("This file is not a JPEG, PNG or WebP image.")]
    NotAnImage,
    #[error("The file is a {actual} image but its name or type says {claimed}: rename it and try again.")]
    Mislabelled { actual: &'static str, claimed: &'static str },
    #[error("The file is larger than {} MB, the largest upload accepted.", MAX_UPLOAD_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("The image is {width} × {height} pixels; the largest accepted is {} megapixels and {MAX_SIDE} pixels a side.", MAX_PIXELS / 1_000_000)]
    TooManyPixels { width: u32, height: u32 },
    #[error("The image could not be read: the file is damaged or cut short.")]
    Damaged,
}

/// Checks what an upload says it is against what its bytes are, before anything decodes
/// it: the format from the signature, which the name's extension and the declared type (when
/// they name an image format) must agree with.
pub fn check_upload(bytes: &[u8], file_name: &str, content_type: &str) -> Result<Format, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Refusal::TooLarge);
    }
    let actual = Format::sniff(bytes).ok_or(Refusal::NotAnImage)?;
    let named = Format::from_file_name(file_name);
    let declared = Format::from_content_type(content_type);
    let has_extension = file_name.rsplit_once('.').is_some();
    // A name with another extension (`photo.gif`, `photo.exe`) is a lie as much as a
    // different image format is.
    if has_extension && named != Some(actual) {
        let claimed = named.map_or("another kind of file", Format::label);
        return Err(Refusal::Mislabelled { actual: actual.label(), claimed });
    }
    if let Some(declared) = declared
        && declared != actual
    {
        return Err(Refusal::Mislabelled { actual: actual.label(), claimed: declared.label() });
    }
    Ok(actual)
}

/// Whether an image of this size may be decoded.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), Refusal> {
    if width == 0 || height == 0 {
        return Err(Refusal::Damaged);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refusal::TooManyPixels { width, height });
    }
    Ok(())
}

/// The widths made of an image `original` pixels wide.
pub fn widths_for(original: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < original).collect();
    if original <= WIDTHS[WIDTHS.len() - 1] {
        widths.push(original);
    } else {
        widths.push(WIDTHS[WIDTHS.len() - 1]);
    }
    widths.dedup();
    widths
}

/// Height at `width` keeping the original's proportions (at least one pixel).
pub fn scaled_height(width: u32, original_width: u32, original_height: u32) -> u32 {
    ((u64::from(original_height) * u64::from(width) + u64::from(original_width) / 2) / u64::from(original_width)).max(1)
        as u32
}

/// A crop search engines ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Crop {
    Wide,
    Standard,
    Square,
}

impl Crop {
    pub const ALL: [Crop; 3] = [Crop::Wide, Crop::Standard, Crop::Square];

    /// Width and height ratio.
    pub fn ratio(self) -> (u32, u32) {
        match self {
            Self::Wide => (16, 9),
            Self::Standard => (4, 3),
            Self::Square => (1, 1),
        }
    }

    /// As stored in `media_variants.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wide => "16x9",
            Self::Standard => "4x3",
            Self::Square => "1x1",
        }
    }

    /// The centred box of this ratio inside `width` × `height`: x, y, width, height.
    pub fn centred(self, width: u32, height: u32) -> (u32, u32, u32, u32) {
        let (rw, rh) = self.ratio();
        let by_width = (u64::from(width) * u64::from(rh) / u64::from(rw)) as u32;
        if by_width <= height {
            (0, (height - by_width) / 2, width, by_width.max(1))
        } else {
            let by_height = (u64::from(height) * u64::from(rw) / u64::from(rh)) as u32;
            ((width - by_height) / 2, 0, by_height.max(1), height)
        }
    }
}

/// One stored file of an image: its address, format and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Variant {
    /// `w` for the whole image at a width, or a crop (`16x9`, `4x3`, `1x1`).
    pub kind: String,
    pub format: String,
    pub width: i64,
    pub height: i64,
    /// The content hash the address carries.
    pub hash: String,
}

impl Variant {
    /// `/media/{hash}.{ext}`: the bytes never change under an address.
    pub fn href(&self) -> String {
        let extension = Format::parse(&self.format).map_or("bin", Format::extension);
        format!("/media/{}.{extension}", self.hash)
    }
}

/// An image as a page draws it: its variants, alt text, caption and credit (the story's
/// own wording where it has one for this use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    pub id: i64,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub variants: Vec<Variant>,
}

impl Picture {
    /// `srcset` of the whole image's variants in one format, narrowest first.
    pub fn srcset(&self, format: &str) -> String {
        let mut whole: Vec<&Variant> = self.variants.iter().filter(|v| v.kind == "w" && v.format == format).collect();
        whole.sort_by_key(|v| v.width);
        whole.iter().map(|v| format!("{} {}w", v.href(), v.width)).collect::<Vec<_>>().join(", ")
    }

    /// The variant closest to `width` (at least it, if there is one) in a format.
    pub fn at_width(&self, format: &str, width: i64) -> Option<&Variant> {
        let mut whole: Vec<&Variant> = self.variants.iter().filter(|v| v.kind == "w" && v.format == format).collect();
        whole.sort_by_key(|v| v.width);
        whole.iter().find(|v| v.width >= width).or(whole.last()).copied()
    }

    pub fn crop(&self, crop: Crop) -> Option<&Variant> {
        self.variants.iter().find(|v| v.kind == crop.as_str())
    }

    /// The height drawn at `width`, for the `<img>`'s size attributes.
    pub fn height_at(&self, width: i64) -> i64 {
        if self.width <= 0 { 0 } else { (self.height * width + self.width / 2) / self.width }
    }
}

/// A library image as the media desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryItem {
    pub picture: Picture,
    pub file_name: String,
    /// Articles that show it: (slug, headline).
    pub used_by: Vec<(String, String)>,
}

/// The library fields typed on the upload and edit forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaText {
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
}

impl MediaText {
    /// The library's words of a picture, for its form.
    pub fn of(picture: &Picture) -> Self {
        Self { alt: picture.alt.clone(), caption: picture.caption.clone(), credit: picture.credit.clone() }
    }

    /// Trimmed fields, or each problem by field (`alt`, `caption`, `credit`).
    pub fn validate(&self) -> Result<MediaText, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let alt = self.alt.trim();
        if alt.is_empty() {
            errors.push(("alt", "Describe the photo for readers who cannot see it (alt text).".to_owned()));
        }
        for (field, value, max) in [
            ("alt", alt, MAX_ALT_CHARS),
            ("caption", self.caption.trim(), MAX_CAPTION_CHARS),
            ("credit", self.credit.trim(), MAX_CREDIT_CHARS),
        ] {
            if value.chars().count() > max {
                errors.push((field, format!("At most {max} characters.")));
            }
            if value.contains(['<', '>']) || value.chars().any(|c| c.is_control() && c != '\n') {
                errors.push((field, "Plain text only, without markup.".to_owned()));
            }
        }
        if errors.is_empty() {
            Ok(MediaText {
                alt: alt.to_owned(),
                caption: self.caption.trim().to_owned(),
                credit: self.credit.trim().to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// The library id a body image's address names: `media:12`.
pub fn media_id(dest: &str) -> Option<i64> {
    let id = dest.strip_prefix("media:")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 18 {
        return None;
    }
    id.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0];

    #[test]
    fn formats_are_known_by_their_bytes_not_their_names() {
        assert_eq!(Format::sniff(JPEG), Some(Format::Jpeg));
        assert_eq!(Format::sniff(PNG), Some(Format::Png));
        assert_eq!(Format::sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(Format::sniff(b"GIF89a"), None);
        assert_eq!(Format::sniff(b"<svg xmlns="), None);
        assert_eq!(Format::sniff(b""), None);
    }

    #[test]
    fn an_upload_must_be_what_it_says() {
        assert_eq!(check_upload(JPEG, "harbour.JPG", "image/jpeg"), Ok(Format::Jpeg));
        assert_eq!(check_upload(JPEG, "harbour", "application/octet-stream"), Ok(Format::Jpeg));
        assert_eq!(check_upload(PNG, "chart.png", ""), Ok(Format::Png));
        assert_eq!(
            check_upload(PNG, "harbour.jpg", "image/jpeg"),
            Err(Refusal::Mislabelled { actual: "PNG", claimed: "JPEG" })
        );
        assert_eq!(
            check_upload(JPEG, "harbour.jpg", "image/png"),
            Err(Refusal::Mislabelled { actual: "JPEG", claimed: "PNG" })
        );
        assert_eq!(
            check_upload(JPEG, "harbour.exe", "image/jpeg"),
            Err(Refusal::Mislabelled { actual: "JPEG", claimed: "another kind of file" })
        );
        assert_eq!(check_upload(b"%PDF-1.7", "scan.jpg", "image/jpeg"), Err(Refusal::NotAnImage));
        assert_eq!(check_upload(b"", "nothing.jpg", "image/jpeg"), Err(Refusal::Empty));
        let huge = vec![0xFF; MAX_UPLOAD_BYTES + 1];
        assert_eq!(check_upload(&huge, "big.jpg", "image/jpeg"), Err(Refusal::TooLarge));
        assert!(Refusal::TooLarge.to_string().contains("25 MB"), "the limit is said");
    }

    #[test]
    fn pixels_are_limited_not_only_bytes() {
        assert_eq!(check_dimensions(4000, 3000), Ok(()));
        assert_eq!(check_dimensions(60_000, 60_000), Err(Refusal::TooManyPixels { width: 60_000, height: 60_000 }));
        assert_eq!(check_dimensions(8000, 7000), Err(Refusal::TooManyPixels { width: 8000, height: 7000 }));
        assert_eq!(check_dimensions(12_001, 10), Err(Refusal::TooManyPixels { width: 12_001, height: 10 }));
        assert_eq!(check_dimensions(0, 10), Err(Refusal::Damaged));
    }

    #[test]
    fn widths_never_enlarge() {
        assert_eq!(widths_for(4000), vec![320, 640, 960, 1280, 1920]);
        assert_eq!(widths_for(1000), vec![320, 640, 960, 1000]);
        assert_eq!(widths_for(200), vec![200]);
        assert_eq!(widths_for(1920), vec![320, 640, 960, 1280, 1920]);
        assert_eq!(scaled_height(640, 4000, 3000), 480);
        assert_eq!(scaled_height(1, 4000, 10), 1);
    }

    #[test]
    fn crops_are_centred_boxes_of_their_ratio() {
        assert_eq!(Crop::Wide.centred(4000, 3000), (0, 375, 4000, 2250));
        assert_eq!(Crop::Square.centred(4000, 3000), (500, 0, 3000, 3000));
        assert_eq!(Crop::Standard.centred(3000, 4000), (0, 875, 3000, 2250));
        assert_eq!(Crop::Wide.centred(1600, 900), (0, 0, 1600, 900));
    }

    #[test]
    fn body_images_name_library_ids() {
        assert_eq!(media_id("media:12"), Some(12));
        assert_eq!(media_id("media:"), None);
        assert_eq!(media_id("media:12x"), None);
        assert_eq!(media_id("media:-1"), None);
        assert_eq!(media_id("https://example.com/a.jpg"), None);
    }

    #[test]
    fn alt_text_is_required_and_text_is_plain() {
        let ok = MediaText { alt: "  Boats in the harbour ".into(), caption: "At dawn".into(), credit: "Ana".into() };
        assert_eq!(ok.validate().unwrap().alt, "Boats in the harbour");
        let missing = MediaText { alt: " ".into(), ..Default::default() };
        assert_eq!(missing.validate().unwrap_err()[0].0, "alt");
        let markup = MediaText { alt: "x".into(), caption: "<script>".into(), ..Default::default() };
        assert_eq!(markup.validate().unwrap_err()[0].0, "caption");
        let long = MediaText { alt: "a".repeat(MAX_ALT_CHARS + 1), ..Default::default() };
        assert!(long.validate().unwrap_err()[0].1.contains("300"));
    }

    #[test]
    fn srcsets_list_one_format_narrowest_first() {
        let v = |kind: &str, format: &str, width: i64| Variant {
            kind: kind.into(),
            format: format.into(),
            width,
            height: width * 3 / 4,
            hash: format!("{format}{width}"),
        };
        let picture = Picture {
            id: 1,
            width: 1000,
            height: 750,
            alt: "a".into(),
            caption: String::new(),
            credit: String::new(),
            variants: vec![v("w", "jpeg", 640), v("w", "jpeg", 320), v("w", "webp", 320), v("16x9", "jpeg", 1200)],
        };
        assert_eq!(picture.srcset("jpeg"), "/media/jpeg320.jpg 320w, /media/jpeg640.jpg 640w");
        assert_eq!(picture.srcset("webp"), "/media/webp320.webp 320w");
        assert_eq!(picture.at_width("jpeg", 400).unwrap().width, 640);
        assert_eq!(picture.at_width("jpeg", 4000).unwrap().width, 640);
        assert_eq!(picture.crop(Crop::Wide).unwrap().width, 1200);
        assert_eq!(picture.height_at(640), 480);
    }
}
