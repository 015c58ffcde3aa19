//! The recovery sheet's image: the QR code of the phrase with the 24 numbered words drawn
//! below it, so that the printed image alone is the whole sheet.
//!
//! The words are BIP39 English words (ASCII lower case) and their numbers, so a built-in 5×7
//! pixel font of `a`–`z` (with descenders), `0`–`9` and `.` is enough: no font crate, no font
//! file. Each glyph cell is 6×11 font pixels (one column and two rows of spacing), drawn at [`TEXT_SCALE`]
//! image pixels per font pixel; the words are in two columns (1–12, 13–24) under the code.

use crate::qr::{self, QrError};

/// Image pixels per font pixel.
pub const TEXT_SCALE: u32 = 3;
const GLYPH_W: u32 = 5;
/// Font rows from the top of a capital to the bottom of a descender.
const GLYPH_H: u32 = 9;
const CELL_W: u32 = GLYPH_W + 1;
const CELL_H: u32 = GLYPH_H + 2;
/// Characters per column: "24. " and the longest BIP39 English word (8 letters).
const COLUMN_CHARS: u32 = 12;

/// The glyph of `c`: the font row it starts at and its rows (`#` dark), 5 pixels wide. Letters
/// and digits are 7 rows from row 0; `g`, `p`, `q` and `y` start at the x-height (row 2) and
/// descend to row 8, `j` spans rows 0 to 8. A character without a glyph is blank.
fn glyph(c: char) -> (u32, &'static [&'static str]) {
    let rows: &'static [&'static str] = match c {
        'a' => &[
            ".....", ".....", ".###.", "....#", ".####", "#...#", ".####",
        ],
        'b' => &[
            "#....", "#....", "#.##.", "##..#", "#...#", "#...#", "####.",
        ],
        'c' => &[
            ".....", ".....", ".###.", "#....", "#....", "#...#", ".###.",
        ],
        'd' => &[
            "....#", "....#", ".##.#", "#..##", "#...#", "#...#", ".####",
        ],
        'e' => &[
            ".....", ".....", ".###.", "#...#", "#####", "#....", ".###.",
        ],
        'f' => &[
            "..##.", ".#..#", ".#...", "###..", ".#...", ".#...", ".#...",
        ],
        'g' => &[
            ".####", "#...#", "#...#", ".####", "....#", "#...#", ".###.",
        ],
        'h' => &[
            "#....", "#....", "#.##.", "##..#", "#...#", "#...#", "#...#",
        ],
        'i' => &[
            "..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###.",
        ],
        'j' => &[
            "...#.", ".....", "..##.", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##..",
        ],
        'k' => &[
            "#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#.",
        ],
        'l' => &[
            ".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###.",
        ],
        'm' => &[
            ".....", ".....", "##.#.", "#.#.#", "#.#.#", "#...#", "#...#",
        ],
        'n' => &[
            ".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#",
        ],
        'o' => &[
            ".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###.",
        ],
        'p' => &[
            "####.", "#...#", "#...#", "####.", "#....", "#....", "#....",
        ],
        'q' => &[
            ".####", "#...#", "#...#", ".####", "....#", "....#", "....#",
        ],
        'r' => &[
            ".....", ".....", "#.##.", "##..#", "#....", "#....", "#....",
        ],
        's' => &[
            ".....", ".....", ".###.", "#....", ".###.", "....#", "####.",
        ],
        't' => &[
            ".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##.",
        ],
        'u' => &[
            ".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#",
        ],
        'v' => &[
            ".....", ".....", "#...#", "#...#", "#...#", ".#.#.", "..#..",
        ],
        'w' => &[
            ".....", ".....", "#...#", "#...#", "#.#.#", "#.#.#", ".#.#.",
        ],
        'x' => &[
            ".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#",
        ],
        'y' => &[
            "#...#", "#...#", "#...#", ".####", "....#", "#...#", ".###.",
        ],
        'z' => &[
            ".....", ".....", "#####", "...#.", "..#..", ".#...", "#####",
        ],
        '0' => &[
            ".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###.",
        ],
        '1' => &[
            "..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###.",
        ],
        '2' => &[
            ".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####",
        ],
        '3' => &[
            "#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###.",
        ],
        '4' => &[
            "...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#.",
        ],
        '5' => &[
            "#####", "#....", "####.", "....#", "....#", "#...#", ".###.",
        ],
        '6' => &[
            "..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###.",
        ],
        '7' => &[
            "#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#...",
        ],
        '8' => &[
            ".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###.",
        ],
        '9' => &[
            ".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##..",
        ],
        '.' => &[
            ".....", ".....", ".....", ".....", ".....", ".##..", ".##..",
        ],
        _ => &[],
    };
    let top = if matches!(c, 'g' | 'p' | 'q' | 'y') {
        2
    } else {
        0
    };
    (top, rows)
}

/// A greyscale canvas (255 light).
struct Canvas {
    width: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn text(&mut self, x: u32, y: u32, text: &str) {
        for (i, c) in text.chars().enumerate() {
            let left = x + i as u32 * CELL_W * TEXT_SCALE;
            let (top, rows) = glyph(c);
            for (row, bits) in rows.iter().enumerate() {
                for (col, bit) in bits.bytes().enumerate() {
                    if bit == b'#' {
                        self.block(
                            left + col as u32 * TEXT_SCALE,
                            y + (top + row as u32) * TEXT_SCALE,
                        );
                    }
                }
            }
        }
    }

    fn block(&mut self, x: u32, y: u32) {
        for dy in 0..TEXT_SCALE {
            let start = ((y + dy) * self.width + x) as usize;
            self.pixels[start..start + TEXT_SCALE as usize].fill(0);
        }
    }
}

/// The recovery sheet's PNG: the QR code of `phrase` (`scale` pixels per module, as
/// [`qr::png`]) and, below it, the words numbered ` 1.` to `24.` in two columns.
pub fn png(phrase: &str, scale: u32) -> Result<Vec<u8>, QrError> {
    let (side, code) = qr::pixels(phrase, scale)?;
    let words: Vec<&str> = phrase.split(' ').collect();
    let rows = words.len().div_ceil(2) as u32;
    let margin = 4 * scale;
    let column = COLUMN_CHARS * CELL_W * TEXT_SCALE;
    let width = side.max(2 * column + 3 * margin);
    let height = side + rows * CELL_H * TEXT_SCALE + margin;
    let mut canvas = Canvas {
        width,
        pixels: vec![255u8; (width * height) as usize],
    };
    let left = (width - side) / 2;
    for y in 0..side {
        let from = (y * side) as usize;
        let to = (y * width + left) as usize;
        canvas.pixels[to..to + side as usize].copy_from_slice(&code[from..from + side as usize]);
    }
    let text_left = (width - (2 * column + margin)) / 2;
    for (i, word) in words.iter().enumerate() {
        let (col, row) = ((i as u32) / rows, (i as u32) % rows);
        let line: String = format!("{:>2}. {word}", i + 1)
            .chars()
            .take(COLUMN_CHARS as usize)
            .collect();
        canvas.text(
            text_left + col * (column + margin),
            side + row * CELL_H * TEXT_SCALE,
            &line,
        );
    }
    qr::encode_png(width, height, &canvas.pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_fits_its_cell_and_the_sheet_still_scans() {
        for c in ('a'..='z').chain('0'..='9').chain(['.']) {
            let (top, rows) = glyph(c);
            assert!(rows.iter().all(|r| r.len() == 5), "{c}");
            assert!(top + rows.len() as u32 <= GLYPH_H, "{c}");
            assert!(rows.iter().any(|r| r.contains('#')), "{c} is blank");
        }
        let phrase = crate::recovery::new_phrase().unwrap();
        let image = png(&phrase, 8).unwrap();
        let codes = crate::qr::read_image(&image).unwrap();
        assert_eq!(codes, vec![phrase.to_string()]);
    }
}
