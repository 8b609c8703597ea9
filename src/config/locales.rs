//! `[locales]` of `defuse.toml` (contract section 12, "Configuration"): which languages a
//! project is translated into, where the PO files live, and the settings that differ per
//! locale (`[locales.L.timing]`, `.phrases`, `.rules`, `.export`).
//!
//! A locale's effective settings are layered: the project's own, then the language's table
//! (`[locales.fr]`), then the locale's (`[locales.fr_CA]`). That is the same fallback a
//! translation follows (`fr_CA`, then `fr`, then the source), so a Canadian French script
//! inherits what was set for French.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::timing::{parse_duration, Timing};
use super::Phrase;
use crate::diagnostic::{Code, Level};

/// A locale id as a directory name: `ll` or `ll_CC` (`es`, `fr_CA`, `es_419`). `fr-CA` and
/// `fr_ca` are read as `fr_CA`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Locale(String);

impl Locale {
    pub fn parse(text: &str) -> Result<Locale, String> {
        let help = "a locale is a language code, with a region if needed: `es`, `fr_CA`, `es_419`";
        let (language, region) = match text.split_once(['_', '-']) {
            Some((language, region)) => (language, Some(region)),
            None => (text, None),
        };
        let language_ok = (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_alphabetic());
        let region_ok = match region {
            None => true,
            Some(region) => {
                (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
                    || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()))
            }
        };
        if !language_ok || !region_ok {
            return Err(format!("`{text}` is not a locale: {help}"));
        }
        let mut id = language.to_ascii_lowercase();
        if let Some(region) = region {
            id.push('_');
            id.push_str(&region.to_ascii_uppercase());
        }
        Ok(Locale(id))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The language part: `fr` for `fr_CA`.
    pub(crate) fn language(&self) -> &str {
        self.0.split('_').next().unwrap_or(&self.0)
    }

    /// The BCP 47 form, for HTML `lang`, XLIFF and exports: `fr-CA`.
    pub(crate) fn bcp47(&self) -> String {
        self.0.replace('_', "-")
    }

    /// The locales whose translations and settings apply, most specific first: `fr_CA`, `fr`.
    pub(crate) fn chain(&self) -> Vec<Locale> {
        let mut chain = vec![self.clone()];
        if self.language() != self.0 {
            chain.push(Locale(self.language().to_owned()));
        }
        chain
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `[locales]`, validated.
#[derive(Clone, Debug)]
pub struct Locales {
    /// The language of the `.defuse` text.
    pub source: Locale,
    /// The locales `check`, `merge` and `build` cover by default.
    pub targets: Vec<Locale>,
    /// Where templates and PO files live, relative to the project root.
    pub dir: String,
    /// How many times the source's words a translation may take.
    pub max_stretch: f64,
    /// 0: the layout of `msgcat --no-wrap`; N: of `msgcat --width=N`.
    pub wrap: usize,
    /// `[locales.L]` tables, by locale.
    settings: BTreeMap<Locale, LocaleSettings>,
}

impl Default for Locales {
    fn default() -> Locales {
        Locales {
            source: Locale("en".to_owned()),
            targets: Vec::new(),
            dir: "locales".to_owned(),
            max_stretch: 1.3,
            wrap: 0,
            settings: BTreeMap::new(),
        }
    }
}

/// What one `[locales.L]` table sets.
#[derive(Clone, Debug, Default)]
pub(crate) struct LocaleSettings {
    timing: TimingOverride,
    phrases_extra: Vec<Phrase>,
    phrases_allow: Vec<String>,
    levels: BTreeMap<Code, Level>,
    voice: Option<String>,
}

/// The `[timing]` keys a locale sets; the others keep the project's value.
#[derive(Clone, Debug, Default)]
struct TimingOverride {
    agent_wpm: Option<f64>,
    placeholder_words: Option<f64>,
    answer_time: Option<f64>,
    hold_time: Option<f64>,
    budget: Option<f64>,
    max_turn: Option<f64>,
}

impl TimingOverride {
    fn apply(&self, timing: &mut Timing) {
        let set = |target: &mut f64, value: Option<f64>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        set(&mut timing.agent_wpm, self.agent_wpm);
        set(&mut timing.placeholder_words, self.placeholder_words);
        set(&mut timing.answer_time, self.answer_time);
        set(&mut timing.hold_time, self.hold_time);
        set(&mut timing.max_turn, self.max_turn);
        if self.budget.is_some() {
            timing.budget = self.budget;
        }
    }
}

/// The settings of one locale, resolved through its chain.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub timing: Timing,
    pub phrases: Vec<Phrase>,
    pub levels: BTreeMap<Code, Level>,
    /// `[locales.L.export] voice`, for call-flow exports.
    pub voice: Option<String>,
}

impl Locales {
    /// The settings of `locale` on top of the project's (`timing`, `phrases` as the project
    /// sets them for its source language, `levels`). Phrases start from the locale language's
    /// built-in list, never the source's.
    pub(crate) fn resolve(&self, locale: &Locale, timing: &Timing, levels: &BTreeMap<Code, Level>) -> Resolved {
        let mut resolved = Resolved {
            timing: timing.clone(),
            phrases: super::default_phrases_for(locale.language()).unwrap_or_default(),
            levels: levels.clone(),
            voice: None,
        };
        // The language's table first, then the locale's: the more specific wins.
        for table in locale.chain().iter().rev().filter_map(|l| self.settings.get(l)) {
            table.timing.apply(&mut resolved.timing);
            resolved.phrases.retain(|p| !table.phrases_allow.iter().any(|a| a.to_lowercase() == p.text.to_lowercase()));
            resolved.phrases.extend(table.phrases_extra.iter().cloned());
            resolved.levels.extend(table.levels.iter().map(|(code, level)| (*code, *level)));
            if table.voice.is_some() {
                resolved.voice = table.voice.clone();
            }
        }
        resolved
    }

    /// Whether `[locales.L]` tables exist for any locale (for help texts).
    pub fn configured(&self) -> impl Iterator<Item = &Locale> {
        self.settings.keys()
    }
}

/// One `[locales]` problem: its message, and whether it sits at a key (`at_key`) or at the
/// value of the locale table named `at`.
pub(crate) struct LocalesError {
    pub message: String,
    /// The key of `[locales]` the problem is under.
    pub key: String,
    pub help: Option<String>,
}

fn error(key: &str, message: impl Into<String>, help: Option<&str>) -> LocalesError {
    LocalesError { message: message.into(), key: key.to_owned(), help: help.map(str::to_owned) }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocale {
    timing: Option<BTreeMap<String, toml::Value>>,
    phrases: Option<RawLocalePhrases>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    export: Option<RawExport>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocalePhrases {
    #[serde(default)]
    extra: Vec<RawLocalePhrase>,
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocalePhrase {
    text: String,
    help: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExport {
    voice: Option<String>,
}

const KEYS_HELP: &str = "[locales] takes source, targets, dir, max_stretch, wrap, and a table per locale \
                         ([locales.es.timing], .phrases, .rules, .export)";

/// Reads `[locales]` from its keys and values (the spans stay with the caller).
pub fn parse(table: &BTreeMap<String, toml::Value>) -> Result<Locales, LocalesError> {
    let mut locales = Locales::default();
    let locale = |key: &str, value: &toml::Value| -> Result<Locale, LocalesError> {
        let text = value.as_str().ok_or_else(|| error(key, format!("[locales] {key} must be a string"), None))?;
        Locale::parse(text).map_err(|message| error(key, message, None))
    };
    for (key, value) in table {
        match key.as_str() {
            "source" => locales.source = locale(key, value)?,
            "targets" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| error(key, "[locales] targets must be a list, like [\"es\", \"fr_CA\"]", None))?;
                for item in list {
                    let target = locale(key, item)?;
                    if !locales.targets.contains(&target) {
                        locales.targets.push(target);
                    }
                }
            }
            "dir" => {
                let dir = value.as_str().ok_or_else(|| error(key, "[locales] dir must be a string", None))?;
                let path = std::path::Path::new(dir);
                if dir.is_empty()
                    || path.is_absolute()
                    || path.components().any(|c| matches!(c, std::path::Component::ParentDir))
                {
                    return Err(error(
                        key,
                        format!("[locales] dir `{dir}` must be a folder inside the project"),
                        Some("write a relative path without `..`, such as \"locales\""),
                    ));
                }
                locales.dir = dir.trim_end_matches('/').to_owned();
            }
            "max_stretch" => {
                let stretch = match value {
                    toml::Value::Integer(n) => *n as f64,
                    toml::Value::Float(f) if f.is_finite() => *f,
                    _ => return Err(error(key, "[locales] max_stretch must be a number", None)),
                };
                if stretch < 1.0 {
                    return Err(error(key, format!("[locales] max_stretch must be 1 or more, not {stretch}"), None));
                }
                locales.max_stretch = stretch;
            }
            "wrap" => {
                let wrap = value
                    .as_integer()
                    .filter(|n| *n == 0 || (20..=10_000).contains(n))
                    .ok_or_else(|| error(key, "[locales] wrap must be 0 (no wrapping) or a width from 20", None))?;
                locales.wrap = wrap as usize;
            }
            other => {
                let Ok(id) = Locale::parse(other) else {
                    return Err(error(key, format!("unknown key `{other}` in [locales]"), Some(KEYS_HELP)));
                };
                let raw: RawLocale = value.clone().try_into().map_err(|e: toml::de::Error| {
                    error(key, format!("[locales.{other}]: {}", e.message().trim()), Some(KEYS_HELP))
                })?;
                locales.settings.insert(id, settings(key, raw)?);
            }
        }
    }
    if locales.targets.contains(&locales.source) {
        return Err(error("targets", format!("`{}` is the source locale, not a target", locales.source), None));
    }
    // Every allowed phrase must be on the list it takes away from.
    for id in locales.settings.keys() {
        let resolved = locales.resolve(id, &Timing::default(), &BTreeMap::new());
        for table in id.chain().iter().filter_map(|l| locales.settings.get(l)) {
            for allowed in &table.phrases_allow {
                let builtin = super::default_phrases_for(id.language()).unwrap_or_default();
                if !builtin.iter().any(|p| p.text.to_lowercase() == allowed.to_lowercase())
                    && !resolved.phrases.iter().any(|p| p.text.to_lowercase() == allowed.to_lowercase())
                {
                    return Err(error(
                        id.as_str(),
                        format!("`{allowed}` is not a discouraged phrase of `{}`", id.language()),
                        Some("`defuse explain phrase` lists the built-in phrases"),
                    ));
                }
            }
        }
    }
    Ok(locales)
}

fn settings(key: &str, raw: RawLocale) -> Result<LocaleSettings, LocalesError> {
    let mut settings = LocaleSettings::default();
    for (name, value) in raw.timing.unwrap_or_default() {
        let at = format!("[locales.{key}.timing] {name}");
        let number = |positive: bool| -> Result<f64, LocalesError> {
            let n = match &value {
                toml::Value::Integer(n) => *n as f64,
                toml::Value::Float(f) if f.is_finite() => *f,
                _ => return Err(error(key, format!("{at} must be a number"), None)),
            };
            // A rate is at least 1: a speech rate near 0 makes every time infinite.
            if if positive { n >= 1.0 } else { n >= 0.0 } {
                Ok(n)
            } else {
                Err(error(
                    key,
                    format!("{at} must be {}, not {n}", if positive { "at least 1" } else { "0 or more" }),
                    None,
                ))
            }
        };
        let duration = || -> Result<f64, LocalesError> {
            let text =
                value.as_str().ok_or_else(|| error(key, format!("{at} must be a duration such as \"90s\""), None))?;
            parse_duration(text).map_err(|message| error(key, format!("{at}: {message}"), None))
        };
        let timing = &mut settings.timing;
        match name.as_str() {
            "agent_wpm" => timing.agent_wpm = Some(number(true)?),
            "placeholder_words" => timing.placeholder_words = Some(number(false)?),
            "answer_time" => timing.answer_time = Some(duration()?),
            "hold_time" => timing.hold_time = Some(duration()?),
            "budget" => timing.budget = Some(duration()?),
            "max_turn" => timing.max_turn = Some(duration()?),
            _ => {
                return Err(error(
                    key,
                    format!("unknown key `{name}` in [locales.{key}.timing]"),
                    Some("the keys are those of [timing]: agent_wpm, placeholder_words, answer_time, hold_time, budget and max_turn"),
                ))
            }
        }
    }
    if let Some(phrases) = raw.phrases {
        for extra in phrases.extra {
            let text = extra.text.trim().to_lowercase();
            if text.is_empty() {
                return Err(error(key, format!("[locales.{key}.phrases]: a phrase cannot be empty"), None));
            }
            let help = extra.help.unwrap_or_else(|| "say it another way".to_owned());
            settings.phrases_extra.push(Phrase { text, help });
        }
        settings.phrases_allow = phrases.allow;
    }
    for (code, level) in raw.rules {
        let known: Code = code.parse().map_err(|_| {
            error(
                key,
                format!("unknown rule `{code}` in [locales.{key}.rules]"),
                Some("`defuse rules` lists every code"),
            )
        })?;
        if !known.is_configurable() {
            return Err(error(key, format!("the level of `{code}` cannot be changed"), None));
        }
        let level = Level::parse(&level).ok_or_else(|| {
            error(
                key,
                format!("unknown level `{level}` for `{code}` in [locales.{key}.rules]"),
                Some("expected \"error\", \"warning\" or \"allow\""),
            )
        })?;
        settings.levels.insert(known, level);
    }
    settings.voice = raw.export.and_then(|export| export.voice);
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_toml(text: &str) -> Result<Locales, String> {
        let table: BTreeMap<String, toml::Value> = toml::from_str(text).unwrap();
        parse(&table).map_err(|e| e.message)
    }

    #[test]
    fn locale_ids_are_directory_names() {
        assert_eq!(Locale::parse("fr-CA").unwrap().as_str(), "fr_CA");
        assert_eq!(Locale::parse("fr_ca").unwrap().as_str(), "fr_CA");
        assert_eq!(Locale::parse("es_419").unwrap().bcp47(), "es-419");
        assert_eq!(Locale::parse("ES").unwrap().as_str(), "es");
        for bad in ["", "e", "español", "fr_CAN", "../x", "fr_C1", "none"] {
            assert!(Locale::parse(bad).is_err(), "{bad}");
        }
        let chain: Vec<String> = Locale::parse("fr_CA").unwrap().chain().iter().map(|l| l.to_string()).collect();
        assert_eq!(chain, ["fr_CA", "fr"]);
    }

    #[test]
    fn a_locale_inherits_its_language_then_the_project() {
        let locales = parse_toml(
            "targets = [\"es\", \"fr-CA\"]\nmax_stretch = 1.5\n[fr.timing]\nagent_wpm = 160\nmax_turn = \"40s\"\n\
             [fr_CA.timing]\nagent_wpm = 150\n[fr_CA.phrases]\nallow = [\"franchement\"]\nextra = [{ text = \"Tabarnak\" }]\n\
             [es.rules]\nmissing-translation = \"error\"\n[es.export]\nvoice = \"es-US-Lupe\"\n",
        )
        .unwrap();
        assert_eq!(locales.targets.iter().map(Locale::as_str).collect::<Vec<_>>(), ["es", "fr_CA"]);
        assert_eq!(locales.max_stretch, 1.5);
        let fr_ca = locales.resolve(&Locale::parse("fr_CA").unwrap(), &Timing::default(), &BTreeMap::new());
        assert_eq!(fr_ca.timing.agent_wpm, 150.0);
        assert_eq!(fr_ca.timing.max_turn, 40.0);
        assert!(fr_ca.phrases.iter().any(|p| p.text == "calmez-vous"));
        assert!(!fr_ca.phrases.iter().any(|p| p.text == "franchement"));
        assert!(fr_ca.phrases.iter().any(|p| p.text == "tabarnak"));
        assert!(!fr_ca.phrases.iter().any(|p| p.text == "calm down"), "the English list never applies");
        let es = locales.resolve(&Locale::parse("es").unwrap(), &Timing::default(), &BTreeMap::new());
        assert_eq!(es.levels.get(&Code::MissingTranslation), Some(&Level::Error));
        assert_eq!(es.voice.as_deref(), Some("es-US-Lupe"));
        let de = locales.resolve(&Locale::parse("de").unwrap(), &Timing::default(), &BTreeMap::new());
        assert!(de.phrases.is_empty());
    }

    #[test]
    fn bad_tables_are_refused() {
        for (text, expected) in [
            ("sorce = \"en\"\n", "unknown key `sorce`"),
            ("targets = \"es\"\n", "must be a list"),
            ("targets = [\"español\"]\n", "is not a locale"),
            ("targets = [\"en\"]\n", "is the source locale"),
            ("dir = \"../elsewhere\"\n", "inside the project"),
            ("max_stretch = 0.5\n", "1 or more"),
            ("wrap = 5\n", "[locales] wrap"),
            ("[es.timing]\nwpm = 140\n", "unknown key `wpm`"),
            ("[es.timing]\nagent_wpm = 0\n", "at least 1"),
            ("[es.timing]\nbudget = \"3 minutes\"\n", "[locales.es.timing] budget"),
            ("[es.rules]\nmissing-translaton = \"error\"\n", "unknown rule"),
            ("[es.phrases]\nallow = [\"calm down\"]\n", "not a discouraged phrase of `es`"),
            ("[es]\nvoices = 1\n", "[locales.es]"),
        ] {
            let message = parse_toml(text).err().unwrap_or_else(|| panic!("{text:?} was accepted"));
            assert!(message.contains(expected), "{text:?} gave {message:?}");
        }
    }
}
