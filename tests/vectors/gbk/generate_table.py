#!/usr/bin/env python3
"""Generates src/encoding/gbk_table.rs: the WHATWG gb18030 indexes, compactly, for src/encoding/gbk.rs.

Source: CPython's own 'gb18030' codec (GB18030-2005 mappings), an implementation independent of
encoding_rs, patched to the WHATWG Encoding Standard (which follows GB18030-2022) where the two
differ. tests/gbk.rs then checks the result against encoding_rs exhaustively, so a wrong patch
here fails the tests rather than shipping.

Output:
- TWO_BYTE: the 23,940 code points of index gb18030 (pointer = (lead - 0x81) * 190 + trail
  offset), each as the difference from the previous explicit code point (mod 2^16, as a signed
  value), zigzag-encoded and written as LEB128 bytes; consecutive GBK code points are often close.
  A 0 byte (a zero difference never occurs) stands for "the next CJK ideograph of U+4E00..=U+9FA5
  not given explicitly": GBK/3 and GBK/4 list the ideographs GB2312 lacks in Unicode order, so
  14,139 entries need no data. 29,708 bytes, 12 KB gzipped (plain u16: 47,880 bytes, 45 KB
  gzipped; plain deltas: 16 KB gzipped).
- RANGES: index gb18030 ranges, (pointer, first code point) of every run of four-byte sequences
  whose code points increase by one, for pointers 0..=39419 (the BMP part). Pointer 7457 (U+E7C7)
  is left to a special case in the code, as in the standard, so the runs stay sorted by both
  pointer and code point.

Needs: python3 (3.8+) only. Run from anywhere:
    python3 tests/vectors/gbk/generate_table.py
The output is deterministic.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "..", "src", "encoding", "gbk_table.rs")

TWO_BYTE_LEN = 126 * 190
# The four-byte pointers that encode BMP code points: 0..=39419.
FOUR_BYTE_BMP_LEN = 39420

# Where WHATWG's index gb18030 differs from GB18030-2005 (CPython): byte pair -> (CPython's code
# point, WHATWG's code point). GB18030-2022 moved 18 characters from the Private Use Area to the
# code points Unicode later assigned them (vertical forms U+FE10..U+FE19, CJK U+9FB4..U+9FBB);
# WHATWG also maps A8BC to U+1E3F (2005 swapped it with the PUA U+E7C7) and A3A0 to U+3000 (a
# PUA U+E5E5 in 2005). The encoder keeps writing these pairs for the old PUA code points; that
# is handled in src/encoding/gbk.rs, not in the table.
PATCHES = {
    b"\xa3\xa0": (0xE5E5, 0x3000),
    b"\xa6\xd9": (0xE78D, 0xFE10),
    b"\xa6\xda": (0xE78E, 0xFE12),
    b"\xa6\xdb": (0xE78F, 0xFE11),
    b"\xa6\xdc": (0xE790, 0xFE13),
    b"\xa6\xdd": (0xE791, 0xFE14),
    b"\xa6\xde": (0xE792, 0xFE15),
    b"\xa6\xdf": (0xE793, 0xFE16),
    b"\xa6\xec": (0xE794, 0xFE17),
    b"\xa6\xed": (0xE795, 0xFE18),
    b"\xa6\xf3": (0xE796, 0xFE19),
    b"\xa8\xbc": (0xE7C7, 0x1E3F),
    b"\xfe\x59": (0xE81E, 0x9FB4),
    b"\xfe\x61": (0xE826, 0x9FB5),
    b"\xfe\x66": (0xE82B, 0x9FB6),
    b"\xfe\x67": (0xE82C, 0x9FB7),
    b"\xfe\x6d": (0xE832, 0x9FB8),
    b"\xfe\x7e": (0xE843, 0x9FB9),
    b"\xfe\x90": (0xE854, 0x9FBA),
    b"\xfe\xa0": (0xE864, 0x9FBB),
}


def two_byte_table():
    """index gb18030: pointer -> code point."""
    table = []
    for pointer in range(TWO_BYTE_LEN):
        lead, trail = divmod(pointer, 190)
        pair = bytes([lead + 0x81, trail + (0x40 if trail < 0x3F else 0x41)])
        cp = ord(pair.decode("gb18030"))
        if pair in PATCHES:
            old, new = PATCHES[pair]
            assert cp == old, (pair, hex(cp))
            cp = new
        table.append(cp)
    return table


def four_byte_ranges():
    """index gb18030 ranges for the BMP: [(pointer, code point)] where each run starts."""
    ranges = []
    prev = None
    for pointer in range(FOUR_BYTE_BMP_LEN):
        b1, rest = divmod(pointer, 12600)
        b2, rest = divmod(rest, 1260)
        b3, b4 = divmod(rest, 10)
        seq = bytes([b1 + 0x81, b2 + 0x30, b3 + 0x81, b4 + 0x30])
        cp = ord(seq.decode("gb18030"))
        if prev is None or cp != prev + 1:
            ranges.append((pointer, cp))
        prev = cp
    # Binary search in both directions needs both columns sorted; both fit in u16.
    for (p0, c0), (p1, c1) in zip(ranges, ranges[1:]):
        assert p0 < p1 and c0 < c1
    assert ranges[-1][1] < 0x10000
    return ranges


# The CJK Unified Ideographs GBK covers; those outside GB2312 are derived, not stored.
URO = range(0x4E00, 0x9FA6)


def encode_two_byte(table):
    """Zigzag LEB128 deltas between explicit entries; 0 for a derived ideograph."""
    derived = derived_positions(table)
    out = bytearray()
    prev = 0
    for pointer, v in enumerate(table):
        if pointer in derived:
            out.append(0)
            continue
        d = (v - prev) & 0xFFFF
        prev = v
        d = d - 0x10000 if d >= 0x8000 else d
        z = d << 1 if d >= 0 else ((-d) << 1) - 1
        assert z != 0, "a zero difference would read as a derived entry"
        while z >= 0x80:
            out.append(0x80 | (z & 0x7F))
            z >>= 7
        out.append(z)
    assert decode_two_byte(bytes(out)) == table
    return bytes(out)


def derived_positions(table):
    """The pointers outside the GB2312 hanzi rows (B0..F7 x A1..FE) holding ideographs."""
    derived = set()
    for pointer, v in enumerate(table):
        lead, trail = divmod(pointer, 190)
        gb2312 = 0xB0 - 0x81 <= lead <= 0xF7 - 0x81 and trail >= 0xA1 - 0x41
        if not gb2312 and v in URO:
            derived.add(pointer)
    return derived


def decode_two_byte(data):
    """What src/encoding/gbk.rs does with TWO_BYTE, to check the encoding round-trips."""
    table, prev, z, shift = [], 0, 0, 0
    for b in data:
        z |= (b & 0x7F) << shift
        if b & 0x80:
            shift += 7
            continue
        if z == 0:
            table.append(None)
        else:
            d = z >> 1 if z & 1 == 0 else ~(z >> 1) & 0xFFFF
            prev = (prev + d) & 0xFFFF
            table.append(prev)
        z, shift = 0, 0
    explicit = set(v for v in table if v is not None)
    rest = iter([c for c in URO if c not in explicit])
    return [next(rest) if v is None else v for v in table]


def byte_string(data, width=100):
    """A Rust byte-string literal, wrapped with `\\` continuations (which skip the next line's
    leading whitespace, so a data space is always escaped)."""
    lines, line = [], ""
    for b in data:
        c = chr(b) if 0x21 <= b <= 0x7E and chr(b) not in '"\\' else "\\x%02x" % b
        if len(line) + len(c) > width:
            lines.append(line)
            line = ""
        line += c
    lines.append(line)
    return 'b"\\\n' + "\\\n".join(lines) + '"'


def main():
    table = two_byte_table()
    encoded = encode_two_byte(table)
    ranges = four_byte_ranges()
    rows = []
    for i in range(0, len(ranges), 6):
        rows.append("    " + " ".join("(%d, 0x%04X)," % r for r in ranges[i : i + 6]))
    text = f"""//! The WHATWG gb18030 indexes used by `gbk`. Generated by
//! `tests/vectors/gbk/generate_table.py` from CPython's gb18030 codec patched to WHATWG (see the
//! script); do not edit by hand. `tests/gbk.rs` checks the result against `encoding_rs`.

/// Number of entries in [`TWO_BYTE`]: 126 lead bytes by 190 trail bytes.
pub(crate) const TWO_BYTE_LEN: usize = {TWO_BYTE_LEN};

/// index gb18030, pointer to code point, as zigzag LEB128 deltas from the previous explicit code
/// point (mod 2^16; the first from 0), where a 0 byte stands for the next ideograph of
/// U+4E00..=U+9FA5 that no explicit entry holds: {len(encoded)} bytes instead of {2 * TWO_BYTE_LEN}
/// as plain `u16`, and a quarter of the size compressed.
#[rustfmt::skip]
pub(crate) static TWO_BYTE: &[u8] = {byte_string(encoded)};

/// index gb18030 ranges for the BMP: `(pointer, code point)` where each run of consecutive
/// four-byte code points starts, sorted by both; pointer 7457 (U+E7C7) is a special case.
#[rustfmt::skip]
pub(crate) static RANGES: [(u16, u16); {len(ranges)}] = [
{chr(10).join(rows)}
];
"""
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print(f"wrote {os.path.normpath(OUT)}: {len(encoded)} bytes of two-byte table, {len(ranges)} ranges")


if __name__ == "__main__":
    main()
