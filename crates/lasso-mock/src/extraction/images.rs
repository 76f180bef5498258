//! Small placeholder PNGs (a solid colour derived from the image URL) and the ZIP of
//! a table's images for `GET /tables/{id}/export?format=images`.

use std::io::{Cursor, Write};

use crate::hash::fnv;

const SIDE: u32 = 16;

/// A valid 16×16 RGB PNG whose colour depends on `seed_text`.
pub fn placeholder_png(seed_text: &str) -> Vec<u8> {
    let h = fnv(&[seed_text.as_bytes()]);
    let (r, g, b) = ((h >> 16) as u8, (h >> 8) as u8, h as u8);
    let mut raw = Vec::with_capacity(((SIDE * 3 + 1) * SIDE) as usize);
    for y in 0..SIDE {
        raw.push(0); // filter: none
        for x in 0..SIDE {
            // A lighter diagonal stripe, so it is visibly an image.
            let light = (x + y) % 8 < 2;
            let shade = |c: u8| if light { c.saturating_add(60) } else { c };
            raw.extend_from_slice(&[shade(r), shade(g), shade(b)]);
        }
    }
    let mut png = Vec::with_capacity(raw.len() + 64);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&SIDE.to_be_bytes());
    ihdr.extend_from_slice(&SIDE.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = Crc32::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finish().to_be_bytes());
}

/// zlib stream of uncompressed ("stored") deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

struct Crc32(u32);

impl Crc32 {
    fn new() -> Crc32 {
        Crc32(0xffff_ffff)
    }

    fn update(&mut self, data: &[u8]) {
        for &byte in data {
            self.0 ^= u32::from(byte);
            for _ in 0..8 {
                let mask = (self.0 & 1).wrapping_neg();
                self.0 = (self.0 >> 1) ^ (0xedb8_8320 & mask);
            }
        }
    }

    fn finish(&self) -> u32 {
        !self.0
    }
}

/// One image of the export: the ZIP entry name and the URL it stands for.
pub struct ImageEntry {
    pub path: String,
    pub url: String,
}

/// A ZIP with one placeholder PNG per entry, plus `manifest.csv` mapping each entry
/// to its source URL.
pub fn zip_images(entries: &[ImageEntry]) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut manifest = String::from("file;url\n");
    for entry in entries {
        writer.start_file(entry.path.as_str(), options)?;
        writer.write_all(&placeholder_png(&entry.url))?;
        manifest.push_str(&format!("{};{}\n", entry.path, entry.url));
    }
    writer.start_file("manifest.csv", options)?;
    writer.write_all(manifest.as_bytes())?;
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_png_header() {
        let mut crc = Crc32::new();
        crc.update(b"123456789");
        assert_eq!(crc.finish(), 0xcbf4_3926);
        let png = placeholder_png("https://x/y.jpg");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.ends_with(&[0xae, 0x42, 0x60, 0x82]));
    }
}
