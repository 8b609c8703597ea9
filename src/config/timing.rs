//! The `[timing]` settings of `defuse.toml` and the durations they are written in. The
//! spoken-time model that uses them (words, node time, the fastest path) is `graph::timing`'s.

/// The `[timing]` settings of `defuse.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    /// Agent speaking rate, words per minute.
    pub agent_wpm: f64,
    /// Words a `{placeholder}` counts for (a name, a date, an amount).
    pub placeholder_words: f64,
    /// Seconds the caller takes to answer a question or pick an option.
    pub answer_time: f64,
    /// Seconds per `hold` statement.
    pub hold_time: f64,
    /// The default budget for a script's fastest path, seconds; `meta { budget }` overrides.
    pub budget: Option<f64>,
    /// The longest agent time one node may take, seconds.
    pub max_turn: f64,
}

pub(crate) const DEFAULT_AGENT_WPM: f64 = 150.0;
pub(crate) const DEFAULT_PLACEHOLDER_WORDS: f64 = 2.0;
pub(crate) const DEFAULT_ANSWER_TIME: f64 = 3.0;
pub(crate) const DEFAULT_HOLD_TIME: f64 = 60.0;
pub(crate) const DEFAULT_MAX_TURN: f64 = 30.0;

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            agent_wpm: DEFAULT_AGENT_WPM,
            placeholder_words: DEFAULT_PLACEHOLDER_WORDS,
            answer_time: DEFAULT_ANSWER_TIME,
            hold_time: DEFAULT_HOLD_TIME,
            budget: None,
            max_turn: DEFAULT_MAX_TURN,
        }
    }
}

/// A duration as written in `defuse.toml` and `meta { budget }`: `90s`, `3m`, `1m30s`,
/// `0.5s`, `1h`; parts in the order h, m, s, each at most once. Returns seconds.
pub(crate) fn parse_duration(text: &str) -> Result<f64, String> {
    const UNITS: [(char, f64); 3] = [('h', 3600.0), ('m', 60.0), ('s', 1.0)];
    let help = "write a duration such as \"90s\", \"3m\", \"1m30s\" or \"0.5s\"";
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("empty duration: {help}"));
    }
    let mut total = 0.0;
    let mut next_unit = 0;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        let value: f64 = match number.parse() {
            Ok(value) if !number.starts_with('.') && !number.ends_with('.') => value,
            _ if number.is_empty() => {
                return Err(format!("`{trimmed}` is not a duration: expected a number before `{rest}`; {help}"))
            }
            _ => return Err(format!("`{number}` in `{trimmed}` is not a number; {help}")),
        };
        rest = &rest[number_len..];
        let Some(unit) = rest.chars().next() else {
            return Err(format!("`{trimmed}` has no unit after `{number}`: add `s`, `m` or `h`"));
        };
        let Some(position) = UNITS.iter().position(|&(u, _)| u == unit) else {
            return Err(format!("unknown unit `{unit}` in `{trimmed}`: use `h`, `m` or `s`"));
        };
        if position < next_unit {
            return Err(format!("`{trimmed}` repeats a unit or has them out of order: write hours, minutes, seconds"));
        }
        next_unit = position + 1;
        total += value * UNITS[position].1;
        rest = &rest[unit.len_utf8()..];
    }
    if !total.is_finite() {
        return Err(format!("`{trimmed}` is too long a duration"));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        for (text, seconds) in [
            ("90s", 90.0),
            ("3m", 180.0),
            ("1m30s", 90.0),
            ("0.5s", 0.5),
            ("1h", 3600.0),
            ("1h2m3s", 3723.0),
            ("0s", 0.0),
        ] {
            assert_eq!(parse_duration(text), Ok(seconds), "{text}");
        }
        for (text, expected) in [
            ("", "empty"),
            ("90", "no unit"),
            ("3x", "unknown unit `x`"),
            ("30s1m", "out of order"),
            ("1m1m", "out of order"),
            ("m", "expected a number"),
            ("1.2.3s", "not a number"),
            (".5s", "not a number"),
            ("-1s", "expected a number"),
            ("3 m", "unknown unit ` `"),
        ] {
            let error = parse_duration(text).unwrap_err();
            assert!(error.contains(expected), "{text:?} gave {error:?}");
        }
    }
}
