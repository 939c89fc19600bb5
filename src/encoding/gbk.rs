//! GB18030 as the WHATWG Encoding Standard defines it (the `gb18030` decoder and encoder), used
//! for every GBK label (`GBK`, `GB2312`, `GB18030`, `CP936`) as browsers do.
//!
//! Hand-written instead of `encoding_rs` because its label dispatch links the tables of every
//! encoding into the wasm module (~130 KiB gzipped); GBK needs one 24k-entry table, stored
//! delta-encoded in `gbk_table` and expanded on first use. `tests/gbk.rs` checks every two-byte
//! pair, every four-byte sequence, every character and random input against `encoding_rs`.

use std::sync::OnceLock;

use super::gbk_table::{RANGES, TWO_BYTE, TWO_BYTE_LEN};

/// Trail bytes per lead byte in the two-byte table: 0x40..=0x7E and 0x80..=0xFE.
const TRAILS: u16 = 190;

/// The last four-byte pointer in the BMP ranges (`84 31 A4 39` is U+FFFF).
const LAST_BMP_POINTER: u32 = 39_419;

/// The four-byte pointer of U+10000 (`90 30 81 30`); the supplementary planes follow in order.
const FIRST_ASTRAL_POINTER: u32 = 189_000;

/// The four-byte pointer of U+10FFFF (`E3 32 9A 35`).
const LAST_ASTRAL_POINTER: u32 = 1_237_575;

/// U+E7C7 is four-byte `81 35 F4 37`, pointer 7457: GB18030-2005 gave its old pair `A8 BC` to
/// U+1E3F. The standard special-cases it so that [`RANGES`] stays sorted by code point.
const E7C7_POINTER: u32 = 7457;

/// Private Use code points whose pairs GB18030-2022 gave to the characters Unicode later encoded
/// (the pairs now decode as U+FE10..U+FE19 and U+9FB4..U+9FBB); like `encoding_rs`, the encoder
/// still writes the old pair for them, so text from older GBK data round-trips. Sorted.
const PUA_PAIRS: [(u16, [u8; 2]); 18] = [
    (0xE78D, [0xA6, 0xD9]),
    (0xE78E, [0xA6, 0xDA]),
    (0xE78F, [0xA6, 0xDB]),
    (0xE790, [0xA6, 0xDC]),
    (0xE791, [0xA6, 0xDD]),
    (0xE792, [0xA6, 0xDE]),
    (0xE793, [0xA6, 0xDF]),
    (0xE794, [0xA6, 0xEC]),
    (0xE795, [0xA6, 0xED]),
    (0xE796, [0xA6, 0xF3]),
    (0xE81E, [0xFE, 0x59]),
    (0xE826, [0xFE, 0x61]),
    (0xE82B, [0xFE, 0x66]),
    (0xE82C, [0xFE, 0x67]),
    (0xE832, [0xFE, 0x6D]),
    (0xE843, [0xFE, 0x7E]),
    (0xE854, [0xFE, 0x90]),
    (0xE864, [0xFE, 0xA0]),
];

/// Decodes strictly: `None` on any sequence the WHATWG decoder reports as an error.
pub(crate) fn decode(bytes: &[u8]) -> Option<String> {
    if bytes.is_ascii() {
        return core::str::from_utf8(bytes).ok().map(str::to_owned);
    }
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        let (c, used) = decode_one(rest);
        out.push(c?);
        rest = rest.get(used..).unwrap_or_default();
    }
    Some(out)
}

/// Decodes with one U+FFFD per WHATWG error, as `encoding_rs` does (for display only).
pub(crate) fn decode_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        let (c, used) = decode_one(rest);
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        rest = rest.get(used..).unwrap_or_default();
    }
    out
}

/// Decodes the character at the start of non-empty `bytes`: the character (`None` for an error)
/// and how many bytes it used. After an error the standard pushes the bytes that could start
/// something else back onto the input; here they are simply not counted as used.
fn decode_one(bytes: &[u8]) -> (Option<char>, usize) {
    let (Some(&b1), b2, b3, b4) = (bytes.first(), bytes.get(1), bytes.get(2), bytes.get(3)) else {
        return (None, 1);
    };
    match (b1, b2, b3, b4) {
        (0x00..=0x7F, ..) => (Some(char::from(b1)), 1),
        (0x80, ..) => (Some('\u{20AC}'), 1),
        (0xFF, ..) => (None, 1),
        // From here `b1` is a lead byte. The end of the input inside a sequence is one error.
        (_, None, ..) => (None, 1),
        (_, Some(0x30..=0x39), None, _) => (None, 2),
        (_, Some(&b2 @ 0x30..=0x39), Some(&b3 @ 0x81..=0xFE), b4) => match b4 {
            None => (None, 3),
            Some(&b4 @ 0x30..=0x39) => {
                let pointer = ((u32::from(b1 - 0x81) * 10 + u32::from(b2 - 0x30)) * 126
                    + u32::from(b3 - 0x81))
                    * 10
                    + u32::from(b4 - 0x30);
                // An unmapped pointer uses all four bytes: none of them is pushed back.
                (four_byte_char(pointer), 4)
            }
            Some(_) => (None, 1),
        },
        (_, Some(0x30..=0x39), Some(_), _) => (None, 1),
        (_, Some(&b2), ..) => match two_byte_char(b1, b2) {
            Some(c) => (Some(c), 2),
            // An ASCII second byte is decoded again on its own.
            None if b2.is_ascii() => (None, 1),
            None => (None, 2),
        },
    }
}

/// The character of a two-byte sequence, if `trail` is a trail byte.
fn two_byte_char(lead: u8, trail: u8) -> Option<char> {
    let offset = match trail {
        0x40..=0x7E => 0x40,
        0x80..=0xFE => 0x41,
        _ => return None,
    };
    let pointer = u16::from(lead.checked_sub(0x81)?) * TRAILS + u16::from(trail - offset);
    let cp = *two_byte_table().get(usize::from(pointer))?;
    char::from_u32(u32::from(cp)).filter(|&c| c != '\0')
}

/// The character of a four-byte pointer (index gb18030 ranges code point).
fn four_byte_char(pointer: u32) -> Option<char> {
    if pointer == E7C7_POINTER {
        Some('\u{E7C7}')
    } else if pointer <= LAST_BMP_POINTER {
        let i = RANGES.partition_point(|&(p, _)| u32::from(p) <= pointer);
        let &(p, cp) = RANGES.get(i.checked_sub(1)?)?;
        char::from_u32(u32::from(cp) + (pointer - u32::from(p)))
    } else if (FIRST_ASTRAL_POINTER..=LAST_ASTRAL_POINTER).contains(&pointer) {
        char::from_u32(0x10000 + (pointer - FIRST_ASTRAL_POINTER))
    } else {
        None
    }
}

/// Encodes as the WHATWG gb18030 encoder does; `None` if a character has no GB18030 bytes
/// (only U+E5E5, whose pair now decodes as U+3000).
pub(crate) fn encode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if let Ok(b) = u8::try_from(c) {
            if b.is_ascii() {
                out.push(b);
                continue;
            }
        }
        let cp = u32::from(c);
        if cp == 0xE5E5 {
            return None;
        }
        if let Some(pair) = pua_pair(cp).or_else(|| two_byte_pair(cp)) {
            out.extend_from_slice(&pair);
        } else {
            out.extend_from_slice(&four_byte_sequence(four_byte_pointer(cp)?)?);
        }
    }
    Some(out)
}

/// The old pair of one of [`PUA_PAIRS`].
fn pua_pair(cp: u32) -> Option<[u8; 2]> {
    let i = PUA_PAIRS
        .binary_search_by_key(&cp, |&(c, _)| u32::from(c))
        .ok()?;
    PUA_PAIRS.get(i).map(|&(_, pair)| pair)
}

/// The two bytes of the lowest pointer whose code point is `cp`, if any.
fn two_byte_pair(cp: u32) -> Option<[u8; 2]> {
    let pointer = pointer_by_code_point()
        .get(usize::try_from(cp).ok()?)?
        .checked_sub(1)?;
    let lead = u8::try_from(pointer / TRAILS + 0x81).ok()?;
    let trail = u8::try_from(pointer % TRAILS).ok()?;
    Some([lead, trail + if trail < 0x3F { 0x40 } else { 0x41 }])
}

/// The four-byte pointer of a character that has no pair (index gb18030 ranges pointer).
fn four_byte_pointer(cp: u32) -> Option<u32> {
    if cp == 0xE7C7 {
        Some(E7C7_POINTER)
    } else if cp >= 0x10000 {
        Some(FIRST_ASTRAL_POINTER + (cp - 0x10000))
    } else {
        let i = RANGES.partition_point(|&(_, c)| u32::from(c) <= cp);
        let &(p, c) = RANGES.get(i.checked_sub(1)?)?;
        Some(u32::from(p) + (cp - u32::from(c)))
    }
}

/// The four bytes of a four-byte pointer: digits in bases 10, 126, 10 (from the last byte up).
fn four_byte_sequence(pointer: u32) -> Option<[u8; 4]> {
    let digit = |value: u32, base: u32, first: u8| {
        u8::try_from(value % base)
            .ok()
            .and_then(|d| d.checked_add(first))
    };
    Some([
        u8::try_from(pointer / 12_600)
            .ok()
            .and_then(|d| d.checked_add(0x81))?,
        digit(pointer / 1260, 10, 0x30)?,
        digit(pointer / 10, 126, 0x81)?,
        digit(pointer, 10, 0x30)?,
    ])
}

/// The CJK ideographs GBK covers. The ones GB2312 lacks fill GBK/3 and GBK/4 in Unicode order,
/// so [`TWO_BYTE`] stores only a 0 for each, and the table expansion derives them.
const IDEOGRAPHS: core::ops::RangeInclusive<u16> = 0x4E00..=0x9FA5;

/// index gb18030 (pointer to code point), expanded from [`TWO_BYTE`] on first use. 0 (never a
/// code point of the index) would mean unmapped, should the data be inconsistent.
fn two_byte_table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::with_capacity(TWO_BYTE_LEN);
        // Which ideographs have explicit entries; the others are the derived ones, in order.
        let mut explicit = vec![false; IDEOGRAPHS.len()];
        let (mut prev, mut z, mut shift) = (0u16, 0u32, 0u32);
        for &b in TWO_BYTE {
            z |= u32::from(b & 0x7F).checked_shl(shift).unwrap_or(0);
            if b & 0x80 != 0 {
                shift += 7;
                continue;
            }
            if z == 0 {
                table.push(0);
            } else {
                // Zigzag: even values are non-negative deltas, odd ones negative; mod 2^16.
                let magnitude = (z >> 1) as u16;
                prev = prev.wrapping_add(if z & 1 == 0 { magnitude } else { !magnitude });
                let ideograph = prev.checked_sub(*IDEOGRAPHS.start());
                if let Some(seen) = ideograph.and_then(|i| explicit.get_mut(usize::from(i))) {
                    *seen = true;
                }
                table.push(prev);
            }
            (z, shift) = (0, 0);
        }
        let mut derived = IDEOGRAPHS
            .zip(explicit)
            .filter(|&(_, e)| !e)
            .map(|(c, _)| c);
        for slot in table.iter_mut().filter(|cp| **cp == 0) {
            *slot = derived.next().unwrap_or(0);
        }
        table
    })
}

/// For each BMP code point, 1 + the lowest two-byte pointer with that code point (the one the
/// encoder writes: U+3000 is both `A1 A1` and `A3 A0`), or 0; built on the first encode.
/// A direct map (128 KiB) rather than a sorted list: sorting would link another
/// `slice::sort` instantiation (7.5 KiB of wasm, measured) and lookups would be binary searches.
fn pointer_by_code_point() -> &'static [u16] {
    static MAP: OnceLock<Vec<u16>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = vec![0; 0x10000];
        for (pointer, &cp) in (1..=u16::MAX).zip(two_byte_table()) {
            match map.get_mut(usize::from(cp)) {
                // Only the first (lowest) pointer of a code point is kept.
                Some(slot) if *slot == 0 && cp != 0 => *slot = pointer,
                _ => {}
            }
        }
        map
    })
}
