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
pub(crate) fn parse_duration(text: &str) -> Result<f64, DurationError> {
    const UNITS: [(char, f64); 3] = [('h', 3600.0), ('m', 60.0), ('s', 1.0)];
    let trimmed = text.trim();
    let text = || trimmed.to_owned();
    if trimmed.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut total = 0.0;
    let mut next_unit = 0;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        let value: f64 = match number.parse() {
            Ok(value) if !number.starts_with('.') && !number.ends_with('.') => value,
            _ if number.is_empty() => return Err(DurationError::NoNumber { text: text(), before: rest.to_owned() }),
            _ => return Err(DurationError::NotANumber { text: text(), number: number.to_owned() }),
        };
        rest = &rest[number_len..];
        let Some(unit) = rest.chars().next() else {
            return Err(DurationError::NoUnit { text: text(), after: number.to_owned() });
        };
        let Some(position) = UNITS.iter().position(|&(u, _)| u == unit) else {
            return Err(DurationError::UnknownUnit { text: text(), unit });
        };
        if position < next_unit {
            return Err(DurationError::OutOfOrder { text: text() });
        }
        next_unit = position + 1;
        total += value * UNITS[position].1;
        rest = &rest[unit.len_utf8()..];
    }
    if !total.is_finite() {
        return Err(DurationError::TooLong { text: text() });
    }
    Ok(total)
}

/// Why a text is not a duration; each carries the text as written (trimmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DurationError {
    Empty,
    /// No number where one should start, `before` the rest of the text.
    NoNumber {
        text: String,
        before: String,
    },
    NotANumber {
        text: String,
        number: String,
    },
    /// A number and no unit `after` it.
    NoUnit {
        text: String,
        after: String,
    },
    UnknownUnit {
        text: String,
        unit: char,
    },
    /// A unit repeated, or hours after minutes and the like.
    OutOfOrder {
        text: String,
    },
    TooLong {
        text: String,
    },
}

impl std::error::Error for DurationError {}

impl std::fmt::Display for DurationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HELP: &str = "write a duration such as \"90s\", \"3m\", \"1m30s\" or \"0.5s\"";
        match self {
            DurationError::Empty => write!(f, "empty duration: {HELP}"),
            DurationError::NoNumber { text, before } => {
                write!(f, "`{text}` is not a duration: expected a number before `{before}`; {HELP}")
            }
            DurationError::NotANumber { text, number } => write!(f, "`{number}` in `{text}` is not a number; {HELP}"),
            DurationError::NoUnit { text, after } => {
                write!(f, "`{text}` has no unit after `{after}`: add `s`, `m` or `h`")
            }
            DurationError::UnknownUnit { text, unit } => {
                write!(f, "unknown unit `{unit}` in `{text}`: use `h`, `m` or `s`")
            }
            DurationError::OutOfOrder { text } => {
                write!(f, "`{text}` repeats a unit or has them out of order: write hours, minutes, seconds")
            }
            DurationError::TooLong { text } => write!(f, "`{text}` is too long a duration"),
        }
    }
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
        let text = |text: &str| text.to_owned();
        for (written, expected) in [
            ("", DurationError::Empty),
            ("90", DurationError::NoUnit { text: text("90"), after: text("90") }),
            ("3x", DurationError::UnknownUnit { text: text("3x"), unit: 'x' }),
            ("30s1m", DurationError::OutOfOrder { text: text("30s1m") }),
            ("1m1m", DurationError::OutOfOrder { text: text("1m1m") }),
            ("m", DurationError::NoNumber { text: text("m"), before: text("m") }),
            ("1.2.3s", DurationError::NotANumber { text: text("1.2.3s"), number: text("1.2.3") }),
            (".5s", DurationError::NotANumber { text: text(".5s"), number: text(".5") }),
            ("-1s", DurationError::NoNumber { text: text("-1s"), before: text("-1s") }),
            ("3 m", DurationError::UnknownUnit { text: text("3 m"), unit: ' ' }),
        ] {
            assert_eq!(parse_duration(written), Err(expected), "{written:?}");
        }
        assert_eq!(
            parse_duration("3x").unwrap_err().to_string(),
            "unknown unit `x` in `3x`: use `h`, `m` or `s`",
            "what the writer reads"
        );
    }
}
