//! Image thumbnails (at most 250×250, aspect kept, PNG), made at upload
//! time with the `image` crate (PNG, JPEG and GIF decoders only). An image
//! that cannot be decoded, or whose declared size exceeds the limits, gets
//! no thumbnail (`thumb_url: ""`, as upstream for non-images).

use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Largest side of a thumbnail.
pub const THUMB_SIZE: u32 = 250;

/// A made thumbnail and the original's size.
#[derive(Debug, Clone)]
pub struct Made {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decodes `bytes` and scales them down (blocking: call off the runtime).
pub fn make(bytes: &[u8]) -> Option<Made> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    let (width, height) = (image.width(), image.height());
    let thumb = image.thumbnail(THUMB_SIZE, THUMB_SIZE);
    let mut png = Vec::new();
    thumb.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).ok()?;
    Some(Made { png, width, height })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_image_is_scaled_into_the_box_and_garbage_is_not() {
        let img = image::RgbImage::from_pixel(600, 300, image::Rgb([10, 20, 30]));
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let made = make(&png).unwrap();
        assert_eq!((made.width, made.height), (600, 300));
        let thumb = image::load_from_memory(&made.png).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (250, 125));
        assert!(make(b"not an image").is_none());
    }
}
