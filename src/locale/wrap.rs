//! Strings of a PO file wrapped as `msgcat --width=N` wraps them (`[locales] wrap = N`).
//!
//! gettext's writer (`write-po.c`, `wrap`) cuts a string into `\n`-ended portions, escapes each,
//! finds its line-break opportunities with the Unicode line-breaking algorithm (UAX #14, as
//! gnulib's `ulc_width_linebreaks` does: a pair table, breaks after spaces), never breaks inside
//! an escape or just before a final `\n`, and breaks a line at the last opportunity that keeps it
//! within the width, closing quote included. When the first portion would break, or more
//! portions follow, the string starts with an empty `""` after its keyword.
//!
//! Classes are exact for ASCII and the punctuation of Latin-script languages (Spanish `¿ ¡`,
//! French `« »`, no-break spaces, dashes, typographic quotes); other letters are `AL`, and
//! CJK ideographs, kana and emoji `ID` (docs/decisions.md names the gap).

/// UAX #14 line-breaking classes used here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Op,
    Cl,
    Cp,
    Qu,
    Gl,
    Ns,
    Ex,
    Sy,
    Is,
    Pr,
    Po,
    Nu,
    Al,
    Id,
    In,
    Hy,
    Ba,
    Bb,
    B2,
    Zw,
    Cm,
    Wj,
    /// A space: never a break before it, a break after it when the pair allows.
    Sp,
    /// A mandatory break (U+2028, U+2029, NEL).
    Bk,
}

/// How a pair of classes may break: directly, only across spaces, or never.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pair {
    Direct,
    Indirect,
    Never,
}

/// The pair table of the line breaker in the gettext that ships with current distributions
/// (rows: the class before; columns: after), in the order of [`index`]; measured against
/// `msgcat` for every pair of ASCII and Latin punctuation characters (the suite keeps that
/// check). It is UAX #14's older table: a break is allowed after `.`, `,`, `:` and `;` before a
/// letter (`example.|com`), and numbers hold together with `%`, `$` and brackets.
const TABLE: [[u8; 20]; 20] = {
    // D direct, I indirect (only across spaces), P prohibited
    const D: u8 = 0;
    const I: u8 = 1;
    const P: u8 = 2;
    [
        //OP CL CP QU GL NS EX SY IS PR PO NU AL ID IN HY BA BB B2 WJ
        [P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P], // OP
        [D, P, P, I, I, P, P, P, P, I, I, D, D, D, I, I, I, D, D, P], // CL
        [D, P, P, I, I, I, P, P, P, I, I, I, I, D, I, I, I, D, D, P], // CP
        [P, P, P, I, I, I, P, P, P, I, I, I, I, I, I, I, I, I, I, P], // QU
        [I, P, P, I, I, I, P, P, P, I, I, I, I, I, I, I, I, I, I, P], // GL
        [D, P, P, I, I, I, P, P, P, D, D, D, D, D, I, I, I, D, D, P], // NS
        [D, P, P, I, I, I, P, P, P, D, D, D, D, D, I, I, I, D, D, P], // EX
        [D, P, P, I, I, I, P, P, P, D, D, I, D, D, I, I, I, D, D, P], // SY
        [D, P, P, I, I, I, P, P, P, D, D, I, D, D, I, I, I, D, D, P], // IS
        [I, P, P, I, I, I, P, P, P, D, D, I, I, I, I, I, I, D, D, P], // PR
        [I, P, P, I, I, I, P, P, P, D, D, I, I, D, I, I, I, D, D, P], // PO
        [I, P, P, I, I, I, P, P, P, I, I, I, I, D, I, I, I, D, D, P], // NU
        [I, P, P, I, I, I, P, P, P, I, I, I, I, D, I, I, I, D, D, P], // AL
        [D, P, P, I, I, I, P, P, P, D, I, D, D, D, I, I, I, D, D, P], // ID
        [D, P, P, I, I, I, P, P, P, D, D, D, D, D, I, I, I, D, D, P], // IN
        [D, P, P, I, D, I, P, P, P, D, D, I, D, D, I, I, I, D, D, P], // HY
        [D, P, P, I, D, I, P, P, P, D, D, D, D, D, I, I, I, D, D, P], // BA
        [I, P, P, I, I, I, P, P, P, I, I, I, I, I, I, I, I, I, I, P], // BB
        [D, P, P, I, I, I, P, P, P, D, D, D, D, D, I, I, I, D, P, P], // B2
        [I, P, P, I, I, I, P, P, P, I, I, I, I, I, I, I, I, I, I, P], // WJ
    ]
};

/// The row or column of a class in [`TABLE`] (`Sp`, `Bk`, `Zw` and `Cm` are handled before a
/// pair is looked up).
fn index(class: Class) -> usize {
    match class {
        Class::Op => 0,
        Class::Cl => 1,
        Class::Cp => 2,
        Class::Qu => 3,
        Class::Gl => 4,
        Class::Ns => 5,
        Class::Ex => 6,
        Class::Sy => 7,
        Class::Is => 8,
        Class::Pr => 9,
        Class::Po => 10,
        Class::Nu => 11,
        Class::Al | Class::Sp | Class::Bk | Class::Cm | Class::Zw => 12,
        Class::Id => 13,
        Class::In => 14,
        Class::Hy => 15,
        Class::Ba => 16,
        Class::Bb => 17,
        Class::B2 => 18,
        Class::Wj => 19,
    }
}

/// Whether a break may fall between `before` and `after`: directly, only across spaces, never.
fn pair(before: Class, after: Class) -> Pair {
    match TABLE[index(before)][index(after)] {
        0 => Pair::Direct,
        1 => Pair::Indirect,
        _ => Pair::Never,
    }
}

fn class(c: char) -> Class {
    match c {
        ' ' => Class::Sp,
        '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => Class::Bk,
        '(' | '[' | '{' | '¡' | '¿' | '‚' | '„' => Class::Op,
        '‼' | '\u{3005}' | '\u{30fc}' | '\u{ff1f}' => Class::Ns,
        ')' | ']' => Class::Cp,
        '}' => Class::Cl,
        '"' | '\'' | '«' | '»' | '‘' | '’' | '“' | '”' | '‹' | '›' => Class::Qu,
        '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2011}' => Class::Gl,
        '\u{2060}' | '\u{feff}' => Class::Wj,
        '\u{200b}' => Class::Zw,
        '!' | '?' => Class::Ex,
        '/' => Class::Sy,
        ',' | '.' | ':' | ';' => Class::Is,
        '$' | '+' | '\\' | '£' | '¥' | '€' | '±' | '№' => Class::Pr,
        '%' | '¢' | '°' | '‰' | '′' | '″' => Class::Po,
        '0'..='9' => Class::Nu,
        '-' => Class::Hy,
        '|' | '\t' | '–' | '\u{2010}' | '\u{2012}' => Class::Ba,
        '´' => Class::Bb,
        '—' => Class::B2,
        '…' | '‥' => Class::In,
        '\u{300}'..='\u{36f}' | '\u{200c}' | '\u{200d}' | '\u{fe00}'..='\u{fe0f}' => Class::Cm,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Class::Cm,
        '\u{2e80}'..='\u{303f}' | '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' => {
            Class::Id
        }
        '\u{f900}'..='\u{faff}' | '\u{ff01}'..='\u{ff60}' | '\u{1f000}'..='\u{1faff}' | '\u{20000}'..='\u{3fffd}' => {
            Class::Id
        }
        _ => Class::Al,
    }
}

/// The columns a character takes: 2 for wide East Asian text and emoji, 0 for combining marks
/// and controls (gnulib's `uc_width` ignores them), 1 otherwise.
fn columns(c: char) -> usize {
    match c {
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => 0,
        '\u{300}'..='\u{36f}' | '\u{200b}'..='\u{200f}' | '\u{fe00}'..='\u{fe0f}' => 0,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{303e}'
        | '\u{3041}'..='\u{33ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{a000}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{1f300}'..='\u{1f64f}'
        | '\u{1f900}'..='\u{1f9ff}'
        | '\u{20000}'..='\u{3fffd}' => 2,
        _ => 1,
    }
}

/// One character of an escaped portion, and whether a break before it is forbidden whatever the
/// classes say (the second character of an escape, the `\n` that ends a portion).
struct Cell {
    c: char,
    prohibited: bool,
}

/// The escaped portion: what stands between the quotes.
fn escape(portion: &str) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(portion.len() + 2);
    for c in portion.chars() {
        let escaped = match c {
            '\n' => Some('n'),
            '\t' => Some('t'),
            '\r' => Some('r'),
            '\u{7}' => Some('a'),
            '\u{8}' => Some('b'),
            '\u{b}' => Some('v'),
            '\u{c}' => Some('f'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            _ => None,
        };
        match escaped {
            Some(letter) => {
                cells.push(Cell { c: '\\', prohibited: false });
                cells.push(Cell { c: letter, prohibited: true });
            }
            None => cells.push(Cell { c, prohibited: false }),
        }
    }
    if portion.ends_with('\n') {
        let at = cells.len() - 2;
        cells[at].prohibited = true;
    }
    cells
}

/// Where a portion may break: `true` at index `i` allows a break before cell `i` (gnulib's
/// `u8_possible_linebreaks`, then the overrides).
fn opportunities(cells: &[Cell]) -> Vec<bool> {
    let mut breaks = vec![false; cells.len()];
    let mut last = Class::Bk;
    let mut seen_space = false;
    for (index, cell) in cells.iter().enumerate() {
        let mut class = class(cell.c);
        // A combining mark belongs to what it follows, unless it follows nothing or a space.
        if class == Class::Cm && (last == Class::Bk || seen_space) {
            class = Class::Al;
        }
        match class {
            Class::Bk => {
                last = Class::Bk;
                seen_space = false;
            }
            Class::Sp => seen_space = true,
            Class::Cm => {}
            Class::Zw => {
                last = Class::Zw;
                seen_space = false;
            }
            _ => {
                breaks[index] = match last {
                    Class::Bk => false,
                    Class::Zw => true,
                    _ => match pair(last, class) {
                        Pair::Direct => true,
                        Pair::Indirect => seen_space,
                        Pair::Never => false,
                    },
                };
                last = class;
                seen_space = false;
            }
        }
        if cell.prohibited {
            breaks[index] = false;
        }
    }
    breaks
}

/// Which opportunities become breaks (gnulib's `u8_width_linebreaks`): a line is cut before the
/// piece that would take it past `width` columns; `start` is where the first line begins.
fn line_breaks(cells: &[Cell], width: usize, start: usize) -> Vec<bool> {
    let possible = opportunities(cells);
    let mut breaks = vec![false; cells.len()];
    let mut last: Option<usize> = None;
    let mut column = start;
    let mut piece = 0;
    for (index, cell) in cells.iter().enumerate() {
        if possible[index] {
            if let Some(at) = last {
                if column + piece > width {
                    breaks[at] = true;
                    column = 0;
                }
            }
        }
        if class(cell.c) == Class::Bk {
            if let Some(at) = last {
                if column + piece > width {
                    breaks[at] = true;
                }
            }
            last = None;
            column = 0;
            piece = columns(cell.c);
            continue;
        }
        if possible[index] {
            last = Some(index);
            column += piece;
            piece = 0;
        }
        piece += columns(cell.c);
    }
    if let Some(at) = last {
        if column + piece > width {
            breaks[at] = true;
        }
    }
    breaks
}

/// `keyword "text"` as `msgcat --width=page_width` writes it, each line after `prefix` (`#~ `,
/// `#| ` or nothing).
pub(crate) fn write_string(out: &mut String, prefix: &str, keyword: &str, text: &str, page_width: usize) {
    let prefix_columns = prefix.chars().count();
    // Columns are counted from where a continuation line's text starts (after its quote); the
    // closing quote needs one more.
    let after_break = prefix_columns + 1;
    let width = page_width.saturating_sub(1).saturating_sub(after_break);
    let portions: Vec<&str> = if text.is_empty() { vec![""] } else { text.split_inclusive('\n').collect() };
    let mut first_line = true;
    for (number, portion) in portions.iter().enumerate() {
        let cells = escape(portion);
        let more = number + 1 < portions.len();
        let start = if first_line { keyword.chars().count() + 1 } else { 0 };
        let mut breaks = line_breaks(&cells, width, start);
        if first_line && !cells.is_empty() && (more || start > width || breaks.contains(&true)) {
            out.push_str(prefix);
            out.push_str(keyword);
            out.push_str(" \"\"\n");
            first_line = false;
            breaks = line_breaks(&cells, width, 0);
        }
        out.push_str(prefix);
        if first_line {
            out.push_str(keyword);
            out.push(' ');
        }
        out.push('"');
        for (cell, cut) in cells.iter().zip(&breaks) {
            if *cut {
                out.push_str("\"\n");
                out.push_str(prefix);
                out.push('"');
            }
            out.push(cell.c);
        }
        out.push_str("\"\n");
        first_line = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(keyword: &str, text: &str, width: usize) -> String {
        let mut out = String::new();
        write_string(&mut out, "", keyword, text, width);
        out
    }

    #[test]
    fn breaks_after_spaces_within_the_width() {
        assert_eq!(wrapped("msgid", "one two three", 14), "msgid \"\"\n\"one two \"\n\"three\"\n");
        assert_eq!(wrapped("msgid", "short", 79), "msgid \"short\"\n");
        assert_eq!(wrapped("msgid", "", 20), "msgid \"\"\n");
    }

    #[test]
    fn never_breaks_inside_an_escape_or_before_the_final_newline() {
        let text = wrapped("msgid", "aaaa \"bb\" cc\n", 12);
        assert!(!text.contains("\\\"\n\"\""), "{text}");
        assert!(text.ends_with("\\n\"\n"), "{text}");
    }
}
