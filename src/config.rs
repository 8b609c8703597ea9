//! `defuse.toml`: rule levels, limits, phrases (spec section 3, "Configuration").
//!
//! **Invariant:** a config that loads is fully valid: every key is known, every code exists
//! and is configurable, every level is `error`, `warning` or `allow`. Anything else is a
//! [`ConfigError`] pointing into the TOML, and the command exits with status 2.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Code, Level};
use crate::files::read::{Disk, FileSource, MAX_CONFIG_BYTES};

pub(crate) mod locales;
pub(crate) mod timing;

use locales::{Locale, Locales};
use timing::{parse_duration, Timing};

pub(crate) const FILE_NAME: &str = "defuse.toml";
pub(crate) const DEFAULT_MAX_STEPS: usize = 10;

/// A discouraged phrase and what to say instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub text: String,
    pub help: String,
}

/// The effective configuration of a run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The levels `[rules]` sets; other codes keep their rule's default (`check::registry::level`).
    levels: BTreeMap<Code, Level>,
    pub max_steps: usize,
    pub phrases: Vec<Phrase>,
    /// `[timing]`: the spoken-time model and its limits.
    pub timing: Timing,
    /// `[locales]`: the source language, the targets and where translations live.
    pub locales: Locales,
    /// The locale this configuration checks and emits in: `None` for the source
    /// ([`Config::for_locale`] makes the others).
    pub locale: Option<Locale>,
    /// `[locales.L.export] voice` of [`Config::locale`], for call-flow exports.
    pub voice: Option<String>,
    /// The config file, when one was found.
    pub path: Option<PathBuf>,
    /// All phrases in one automaton, built on first use: one pass per agent line.
    matcher: std::sync::OnceLock<aho_corasick::AhoCorasick>,
}

/// The default list, each with what to say instead.
pub(crate) fn default_phrases() -> Vec<Phrase> {
    [
        ("calm down", "it tells the caller their feelings are the problem; acknowledge them instead: \"I can hear how frustrating this is\""),
        ("relax", "acknowledge the feeling instead: \"I understand why you're upset\""),
        ("our policy", "explain the reason in plain words, and say what you can do"),
        ("company policy", "explain the reason in plain words, and say what you can do"),
        ("nothing I can do", "say what you can do: \"Here's what I can do right now…\""),
        ("nothing we can do", "say what you can do: \"Here's what we can do…\""),
        ("you should have", "it blames the caller; say what happens next: \"From here, let's…\""),
        ("you need to", "invite rather than order: \"Could you…?\" or \"It would help if…\""),
        ("I promise", "promise only what you control: say what you will do, and when"),
        ("guarantee", "say what you will do and when, not what you cannot control"),
        ("as I said", "it sounds impatient; say it again in other words"),
        ("like I said", "it sounds impatient; say it again in other words"),
        ("to be honest", "it suggests the rest was not; just say it"),
        ("obviously", "it makes the caller feel slow; leave the word out"),
        ("you people", "it lumps the caller into a group; speak to them as a person"),
    ]
    .into_iter()
    .map(|(text, help)| Phrase { text: text.to_owned(), help: help.to_owned() })
    .collect()
}

/// The built-in discouraged phrases of a language (`es`, `fr`; the part of a locale id before
/// `_`), for `[locales.L.phrases]`: a locale's text is checked against its language's list,
/// never the English one (`en` gives [`default_phrases`]). `None` for a language defuse ships
/// no list for.
///
/// The lists follow what Spanish- and French-language contact-center training bans, in the
/// spirit of the English list: telling the caller how to feel, hiding behind policy, saying
/// nothing can be done, blaming, ordering, promising, impatience, and lumping the caller into a
/// group. Each help is in English (the language of defuse's reports) with the wording to use
/// in the caller's language. Common spellings without accents are listed too, since writers
/// type them.
pub(crate) fn default_phrases_for(language: &str) -> Option<Vec<Phrase>> {
    let list: &[(&str, &str)] = match language {
        "en" => return Some(default_phrases()),
        "es" => &[
            ("cálmese", "it tells the caller their feelings are the problem; acknowledge them: «Entiendo lo frustrante que es esto»"),
            ("calmese", "it tells the caller their feelings are the problem; acknowledge them: «Entiendo lo frustrante que es esto»"),
            ("cálmate", "it tells the caller their feelings are the problem; acknowledge them: «Entiendo lo frustrante que es esto»"),
            ("tranquilícese", "acknowledge the feeling instead: «Entiendo por qué está molesto»"),
            ("tranquilicese", "acknowledge the feeling instead: «Entiendo por qué está molesto»"),
            ("relájese", "acknowledge the feeling instead: «Entiendo por qué está molesto»"),
            ("nuestra política", "explain the reason in plain words, and say what you can do: «Lo que sí puedo hacer es…»"),
            ("política de la empresa", "explain the reason in plain words, and say what you can do: «Lo que sí puedo hacer es…»"),
            ("no puedo hacer nada", "say what you can do: «Lo que puedo hacer ahora mismo es…»"),
            ("no podemos hacer nada", "say what you can do: «Lo que podemos hacer es…»"),
            ("debería haber", "it blames the caller; say what happens next: «A partir de aquí, vamos a…»"),
            ("tendría que haber", "it blames the caller; say what happens next: «A partir de aquí, vamos a…»"),
            ("usted tiene que", "invite rather than order: «¿Podría…?» or «Nos ayudaría que…»"),
            ("le prometo", "promise only what you control: say what you will do, and when"),
            ("se lo prometo", "promise only what you control: say what you will do, and when"),
            ("le garantizo", "say what you will do and when, not what you cannot control"),
            ("como le dije", "it sounds impatient; say it again in other words"),
            ("como ya le dije", "it sounds impatient; say it again in other words"),
            ("como le he dicho", "it sounds impatient; say it again in other words"),
            ("para serle sincero", "it suggests the rest was not; just say it"),
            ("para ser honesto", "it suggests the rest was not; just say it"),
            ("obviamente", "it makes the caller feel slow; leave the word out"),
            ("ustedes siempre", "it lumps the caller into a group; speak to them as a person"),
            ("gente como usted", "it lumps the caller into a group; speak to them as a person"),
            ("no es mi culpa", "it pushes the problem back at the caller; say what you will do: «Voy a ocuparme de esto»"),
            ("no es mi problema", "it pushes the problem back at the caller; say what you will do: «Voy a ocuparme de esto»"),
        ],
        "fr" => &[
            ("calmez-vous", "it tells the caller their feelings are the problem; acknowledge them: « Je comprends que ce soit frustrant »"),
            ("calme-toi", "it tells the caller their feelings are the problem; acknowledge them: « Je comprends que ce soit frustrant »"),
            ("du calme", "acknowledge the feeling instead: « Je comprends votre agacement »"),
            ("détendez-vous", "acknowledge the feeling instead: « Je comprends votre agacement »"),
            ("notre politique", "explain the reason in plain words, and say what you can do: « Ce que je peux faire, c'est… »"),
            ("politique de l'entreprise", "explain the reason in plain words, and say what you can do: « Ce que je peux faire, c'est… »"),
            ("c'est la procédure", "explain the reason in plain words, and say what you can do: « Ce que je peux faire, c'est… »"),
            ("je ne peux rien faire", "say what you can do: « Voici ce que je peux faire tout de suite… »"),
            ("on ne peut rien faire", "say what you can do: « Voici ce que nous pouvons faire… »"),
            ("il n'y a rien à faire", "say what you can do: « Voici ce que nous pouvons faire… »"),
            ("vous auriez dû", "it blames the caller; say what happens next: « À partir de maintenant, nous allons… »"),
            ("vous devez", "invite rather than order: « Pourriez-vous… ? » or « Il faudrait que… »"),
            ("je vous promets", "promise only what you control: say what you will do, and when"),
            ("je vous le promets", "promise only what you control: say what you will do, and when"),
            ("je vous garantis", "say what you will do and when, not what you cannot control"),
            ("comme je vous l'ai dit", "it sounds impatient; say it again in other words"),
            ("je vous l'ai déjà dit", "it sounds impatient; say it again in other words"),
            ("comme je l'ai dit", "it sounds impatient; say it again in other words"),
            ("pour être honnête", "it suggests the rest was not; just say it"),
            ("franchement", "it suggests the rest was not; just say it"),
            ("évidemment", "it makes the caller feel slow; leave the word out"),
            ("vous les clients", "it lumps the caller into a group; speak to them as a person"),
            ("les gens comme vous", "it lumps the caller into a group; speak to them as a person"),
            ("ce n'est pas de ma faute", "it pushes the problem back at the caller; say what you will do: « Je m'en occupe »"),
            ("ce n'est pas mon problème", "it pushes the problem back at the caller; say what you will do: « Je m'en occupe »"),
            ("je ne sais pas", "say how you will find out: « Je vérifie pour vous »"),
        ],
        _ => return None,
    };
    Some(list.iter().map(|(text, help)| Phrase { text: (*text).to_owned(), help: (*help).to_owned() }).collect())
}

/// `text` with whitespace runs collapsed to one space: how phrases are stored for matching.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Default for Config {
    fn default() -> Config {
        Config {
            levels: BTreeMap::new(),
            max_steps: DEFAULT_MAX_STEPS,
            phrases: default_phrases(),
            timing: Timing::default(),
            locales: Locales::default(),
            locale: None,
            voice: None,
            path: None,
            matcher: std::sync::OnceLock::new(),
        }
    }
}

/// What is wrong with a config, as plain data: `report::human` draws it (message, the
/// labelled excerpt, help) and `cli` prints it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    /// The config's text, when the error may quote it.
    pub source_code: Option<ConfigSource>,
    /// Where in `source_code` the problem is, labelled with `label`.
    pub span: Option<crate::source::Span>,
    pub label: String,
    pub help: Option<String>,
}

/// A config's name (as the error shows it) and text.
#[derive(Debug)]
pub struct ConfigSource {
    pub name: String,
    pub text: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    phrases: RawPhrases,
    #[serde(default)]
    timing: RawTiming,
    #[serde(default)]
    locales: BTreeMap<Spanned<String>, toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTiming {
    agent_wpm: Option<Spanned<toml::Value>>,
    placeholder_words: Option<Spanned<toml::Value>>,
    answer_time: Option<Spanned<String>>,
    hold_time: Option<Spanned<String>>,
    budget: Option<Spanned<String>>,
    max_turn: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_steps: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPhrases {
    #[serde(default)]
    extra: Vec<RawPhrase>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhrase {
    text: Spanned<String>,
    help: Option<String>,
}

impl Config {
    /// The configuration of `locale`'s checks and outputs: its `[locales.L]` timing, phrases
    /// (its language's list, never the source's), rule levels and export voice, layered over
    /// this one's (contract section 12, "Configuration").
    pub(crate) fn for_locale(&self, locale: &Locale) -> Config {
        let resolved = self.locales.resolve(locale, &self.timing, &self.levels);
        Config {
            levels: resolved.levels,
            max_steps: self.max_steps,
            phrases: resolved.phrases,
            timing: resolved.timing,
            locales: self.locales.clone(),
            locale: Some(locale.clone()),
            voice: resolved.voice,
            path: self.path.clone(),
            matcher: std::sync::OnceLock::new(),
        }
    }

    /// The level `[rules]` sets for `code`, if it sets one.
    pub(crate) fn configured_level(&self, code: Code) -> Option<Level> {
        self.levels.get(&code).copied()
    }

    /// Everything in the config that decides what `check` reports, as one text: two configs
    /// with the same key check alike (the language server keeps its incremental results,
    /// `check::incremental`, only while the key stays the same).
    pub(crate) fn check_key(&self) -> String {
        format!("{:?}|{}|{:?}|{:?}|{:?}", self.levels, self.max_steps, self.phrases, self.timing, self.path)
    }

    /// Finds every phrase of [`Config::phrases`] (ASCII case-insensitive, overlapping), with
    /// its whitespace runs collapsed to one space (the text is collapsed the same way); a
    /// match's pattern index is the phrase's index.
    pub(crate) fn phrase_matcher(&self) -> &aho_corasick::AhoCorasick {
        self.matcher.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .ascii_case_insensitive(true)
                .build(self.phrases.iter().map(|p| collapse_whitespace(&p.text)))
                .expect("a few short phrases always fit in an automaton")
        })
    }

    /// The nearest `defuse.toml` in `dir` or an ancestor. Any entry of that name counts, so
    /// that a FIFO or a dangling link is reported when loaded rather than silently passed over.
    pub(crate) fn discover(dir: &Path) -> Option<PathBuf> {
        let dir = std::fs::canonicalize(dir).ok()?;
        dir.ancestors().map(|d| d.join(FILE_NAME)).find(|candidate| std::fs::symlink_metadata(candidate).is_ok())
    }

    /// Reads and validates the config at `path` (a regular file of at most
    /// [`MAX_CONFIG_BYTES`]). A config that is a link to a file outside its own directory is
    /// read, but its errors do not quote its text: that text lies outside the project root.
    pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
        let text = Disk
            .read(path, MAX_CONFIG_BYTES)
            .map_err(|error| ConfigError {
                message: format!("cannot read config `{}`: {error}", path.display()),
                source_code: None,
                span: None,
                label: String::new(),
                help: None,
            })
            .map_err(Box::new)?;
        let mut config = Config::parse(&text, &path.display().to_string()).map_err(|mut error| {
            if !resolves_inside_its_directory(path) {
                error.source_code = None;
                error.span = None;
            }
            error
        })?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    pub fn parse(text: &str, name: &str) -> Result<Config, Box<ConfigError>> {
        let error = |message: String, span: Option<std::ops::Range<usize>>, label: &str, help: Option<String>| {
            Box::new(ConfigError {
                message,
                source_code: Some(ConfigSource { name: name.to_owned(), text: text.to_owned() }),
                span: span.map(|s| crate::source::Span::new(s.start, s.end)),
                label: label.to_owned(),
                help,
            })
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            error(
                format!("invalid {FILE_NAME}: {}", e.message()),
                e.span(),
                "here",
                Some(
                    "the keys are [rules], [limits] max_steps, [phrases] extra and allow, [timing] agent_wpm, \
                     placeholder_words, answer_time, hold_time, budget and max_turn, [locales]"
                        .to_owned(),
                ),
            )
        })?;

        let mut config = Config::default();
        let locales_table: BTreeMap<String, toml::Value> =
            raw.locales.iter().map(|(key, value)| (key.get_ref().clone(), value.clone())).collect();
        config.locales = locales::parse(&locales_table).map_err(|problem| {
            let span = raw.locales.keys().find(|key| *key.get_ref() == problem.key).map(|key| key.span());
            error(problem.message, span, "in this part of [locales]", problem.help)
        })?;
        // The source's own phrases are its language's list (English unless `[locales] source`
        // says otherwise); a language defuse ships no list for starts from none.
        if config.locales.source.language() != "en" {
            config.phrases = default_phrases_for(config.locales.source.language()).unwrap_or_default();
        }
        for (code, level) in raw.rules {
            let (code_span, code) = (code.span(), code.into_inner());
            let Ok(known) = code.parse::<Code>() else {
                let names = Code::ALL.iter().map(|code| code.as_str());
                let help = crate::suggest::closest(&code, names)
                    .map(crate::diagnostic::did_you_mean)
                    .unwrap_or_else(|| "`defuse rules` lists every code".to_owned());
                return Err(error(
                    format!("unknown rule `{code}` in [rules]"),
                    Some(code_span),
                    "unknown code",
                    Some(help),
                ));
            };
            if !known.is_configurable() {
                return Err(error(
                    format!("the level of `{code}` cannot be changed"),
                    Some(level.span()),
                    "not configurable",
                    Some("`syntax` and `use-*` errors always stop a script from compiling".to_owned()),
                ));
            }
            let Some(parsed) = Level::parse(level.get_ref()) else {
                return Err(error(
                    format!("unknown level `{}` for `{code}`", level.get_ref()),
                    Some(level.span()),
                    "expected \"error\", \"warning\" or \"allow\"",
                    None,
                ));
            };
            config.levels.insert(known, parsed);
        }
        if let Some(max_steps) = raw.limits.max_steps {
            let value = *max_steps.get_ref();
            if value < 1 {
                return Err(error(
                    format!("max_steps must be at least 1, not {value}"),
                    Some(max_steps.span()),
                    "too small",
                    None,
                ));
            }
            config.max_steps = usize::try_from(value).unwrap_or(usize::MAX);
        }
        for allowed in &raw.phrases.allow {
            let before = config.phrases.len();
            config.phrases.retain(|p| !p.text.eq_ignore_ascii_case(allowed.get_ref()));
            if config.phrases.len() == before {
                return Err(error(
                    format!("`{}` is not a discouraged phrase", allowed.get_ref()),
                    Some(allowed.span()),
                    "not in the list",
                    Some("`defuse explain phrase` lists the default phrases".to_owned()),
                ));
            }
        }
        for extra in raw.phrases.extra {
            let text = extra.text.get_ref().trim().to_owned();
            if text.is_empty() {
                return Err(error("a phrase cannot be empty".to_owned(), Some(extra.text.span()), "empty", None));
            }
            let help = extra.help.unwrap_or_else(|| "say it another way".to_owned());
            config.phrases.push(Phrase { text, help });
        }

        let timing = raw.timing;
        // A rate (`agent_wpm`) is at least 1: a speech rate near 0 makes every time infinite.
        let number = |value: &Spanned<toml::Value>, key: &str, positive: bool| {
            let number = match value.get_ref() {
                toml::Value::Integer(n) => Some(*n as f64),
                toml::Value::Float(f) if f.is_finite() => Some(*f),
                _ => None,
            };
            match number {
                Some(n) if if positive { n >= 1.0 } else { n >= 0.0 } => Ok(n),
                Some(n) => Err(error(
                    format!("[timing] {key} must be {}, not {n}", if positive { "at least 1" } else { "0 or more" }),
                    Some(value.span()),
                    "out of range",
                    None,
                )),
                None => {
                    Err(error(format!("[timing] {key} must be a number"), Some(value.span()), "not a number", None))
                }
            }
        };
        let duration = |value: &Spanned<String>, key: &str| {
            parse_duration(value.get_ref()).map_err(|message| {
                error(format!("[timing] {key}: {message}"), Some(value.span()), "not a duration", None)
            })
        };
        if let Some(value) = &timing.agent_wpm {
            config.timing.agent_wpm = number(value, "agent_wpm", true)?;
        }
        if let Some(value) = &timing.placeholder_words {
            config.timing.placeholder_words = number(value, "placeholder_words", false)?;
        }
        if let Some(value) = &timing.answer_time {
            config.timing.answer_time = duration(value, "answer_time")?;
        }
        if let Some(value) = &timing.hold_time {
            config.timing.hold_time = duration(value, "hold_time")?;
        }
        if let Some(value) = &timing.budget {
            config.timing.budget = Some(duration(value, "budget")?);
        }
        if let Some(value) = &timing.max_turn {
            config.timing.max_turn = duration(value, "max_turn")?;
        }
        Ok(config)
    }
}

/// Whether `path`, after symlinks, is a file of the directory that holds it as named.
fn resolves_inside_its_directory(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), std::fs::canonicalize(path)) {
        (Ok(dir), Ok(file)) => file.starts_with(dir),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_shipped_language_has_its_own_list_with_help() {
        for language in ["es", "fr"] {
            let list = super::default_phrases_for(language).unwrap();
            assert!(list.len() >= 20, "{language}");
            let mut seen = std::collections::HashSet::new();
            for phrase in &list {
                assert!(seen.insert(phrase.text.as_str()), "{language}: `{}` twice", phrase.text);
                assert_eq!(phrase.text, phrase.text.to_lowercase(), "{language}: phrases are matched lower-case");
                assert!(!phrase.help.is_empty());
                assert!(!super::default_phrases().iter().any(|english| english.text == phrase.text));
            }
        }
        assert_eq!(super::default_phrases_for("en"), Some(super::default_phrases()));
        assert_eq!(super::default_phrases_for("de"), None);
    }

    use super::*;

    #[test]
    fn levels_and_limits_apply() {
        let config = Config::parse(
            "[rules]\nskip-mirror = \"error\"\nphrase = \"allow\"\n[limits]\nmax_steps = 12\n[phrases]\nextra = [{ text = \"per our terms\", help = \"Explain.\" }]\nallow = [\"guarantee\"]\n",
            "defuse.toml",
        )
        .unwrap();
        assert_eq!(config.configured_level(Code::SkipMirror), Some(Level::Error));
        assert_eq!(config.configured_level(Code::Phrase), Some(Level::Allow));
        assert_eq!(config.configured_level(Code::Hold), None);
        assert_eq!(config.max_steps, 12);
        assert!(config.phrases.iter().any(|p| p.text == "per our terms"));
        assert!(!config.phrases.iter().any(|p| p.text == "guarantee"));
    }

    #[cfg(unix)]
    #[test]
    fn a_config_linked_from_outside_its_directory_is_not_quoted() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "password = \"hunter2\"\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let linked = dir.path().join(FILE_NAME);
        std::os::unix::fs::symlink(outside.path().join("secret"), &linked).unwrap();
        let error = Config::load(&linked).unwrap_err();
        assert!(error.message.contains("unknown field"), "{}", error.message);
        assert!(error.source_code.is_none() && error.span.is_none());
        let report = format!("{error} {error:?}");
        assert!(!report.contains("hunter2"), "{report}");

        std::fs::write(dir.path().join("own.toml"), "password = \"hunter2\"\n").unwrap();
        assert!(Config::load(&dir.path().join("own.toml")).unwrap_err().source_code.is_some());
    }

    #[test]
    fn timing_applies() {
        let config = Config::parse(
            "[timing]\nagent_wpm = 140\nplaceholder_words = 1.5\nanswer_time = \"2s\"\nhold_time = \"1m30s\"\nbudget = \"4m\"\nmax_turn = \"25s\"\n",
            "defuse.toml",
        )
        .unwrap();
        let expected = Timing {
            agent_wpm: 140.0,
            placeholder_words: 1.5,
            answer_time: 2.0,
            hold_time: 90.0,
            budget: Some(240.0),
            max_turn: 25.0,
        };
        assert_eq!(config.timing, expected);
        assert_eq!(Config::parse("", "defuse.toml").unwrap().timing, Timing::default());
    }

    #[test]
    fn timing_errors_point_into_the_toml() {
        let text = "[timing]\nbudget = \"3x\"\n";
        let error = Config::parse(text, "defuse.toml").unwrap_err();
        let span = error.span.unwrap();
        assert_eq!(&text[span.start()..span.end()], "\"3x\"");
    }

    #[test]
    fn bad_configs_are_rejected() {
        for (text, expected) in [
            ("[rule]\n", "unknown field"),
            ("[rules]\nskip-mirorr = \"error\"\n", "unknown rule `skip-mirorr`"),
            ("[rules]\nsyntax = \"warning\"\n", "cannot be changed"),
            ("[rules]\nhold = \"loud\"\n", "unknown level `loud`"),
            ("[limits]\nmax_steps = 0\n", "at least 1"),
            ("[limits]\nmax_depth = 3\n", "unknown field"),
            ("[phrases]\nallow = [\"nope\"]\n", "not a discouraged phrase"),
            ("[timing]\nagent_wpm = 0\n", "at least 1"),
            ("[timing]\nagent_wpm = 1e-320\n", "at least 1"),
            ("[timing]\nagent_wpm = \"fast\"\n", "must be a number"),
            ("[timing]\nplaceholder_words = -1\n", "0 or more"),
            ("[timing]\nbudget = \"3 minutes\"\n", "[timing] budget"),
            ("[timing]\nmax_turn = \"30\"\n", "no unit"),
            ("[timing]\nwpm = 150\n", "unknown field"),
        ] {
            let error = Config::parse(text, "defuse.toml").unwrap_err();
            assert!(error.message.contains(expected), "{text:?} gave {:?}", error.message);
        }
    }
}
