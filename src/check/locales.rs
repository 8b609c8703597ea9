//! The checks of each target locale (contract section 12, "Diagnostics").
//!
//! For every locale: the project is localised (`locale::localise`), which reports what kept a
//! line in the source language (`missing-`, `fuzzy-`, `stale-translation`,
//! `placeholder-mismatch`) and translations too long to say (`long-translation`). Then the
//! rules whose findings depend on the text ([`TEXT_RULES`]) run again on the locale's text
//! with the locale's settings (`Config::for_locale`: its phrases, timing and levels), and each
//! finding is moved back to where a reader looks: the `msgstr` of the translation it is in, or
//! the source. Graph rules do not depend on text: they ran once, on the source.
//!
//! Suppression comments of the source apply in every locale (the localised text keeps them);
//! a translator comment `# defuse: allow CODE "reason"` in a PO entry silences that entry's
//! diagnostics of CODE for its locale.

use std::path::Path;

use super::rules::suppression::{Suppressions, Used};
use super::{apply_levels, registry, run_rules, Rule};
use crate::config::locales::Locale;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::files::read::FileSource;
use crate::locale::localise::{self, localise};
use crate::locale::translations::Translations;
use crate::resolve::Project;
use crate::source::FileId;

/// The rules that run again on each locale's text.
pub(crate) const TEXT_RULES: [Code; 4] = [Code::Phrase, Code::OverBudget, Code::LongTurn, Code::UnknownPlaceholder];

/// `check` of a project and its translations: the source's diagnostics, then those of the
/// locales asked for ([`add_locales`]), sorted.
pub fn check_with_locales(
    project: &mut Project,
    config: &Config,
    source: &dyn FileSource,
    (root, base): (&Path, &Path),
    asked: &[Locale],
    none: bool,
) -> Vec<Diagnostic> {
    let wanted = wanted(config, asked, none);
    if wanted.is_empty() {
        return super::check(project, config);
    }
    // The source's check and the reading of the translation files do not depend on each other.
    let ((found, coverage), read) = rayon::join(
        || super::check_unsuppressed(project, config),
        || Translations::read(project, source, root, base, &config.locales.dir, &wanted),
    );
    let translations = read.attach(project);
    // The source's comments silence the source's diagnostics and every locale's, and are
    // judged on all of them: one that silences only a translation's `phrase` is needed.
    let mut suppressions = Suppressions::read(project);
    let (found, used) = suppressions.silence(project, found);
    suppressions.mark(&used);
    let locales = chosen(config, asked, none, &translations);
    let (in_locales, used) = check(project, config, &translations, &locales, &suppressions);
    suppressions.mark(&used);
    let mut source_found = found;
    source_found.extend(suppressions.reports(project, &coverage, !locales.is_empty()));
    let mut diagnostics = super::finish(project, config, source_found);
    diagnostics.extend(in_locales);
    super::sort(project, &mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

/// The locales whose translation files a run reads: those asked for, else the targets.
fn wanted(config: &Config, asked: &[Locale], none: bool) -> Vec<Locale> {
    if none || !asked.is_empty() {
        asked.to_vec()
    } else {
        config.locales.targets.clone()
    }
}

/// Adds to `diagnostics` (the source's) those of the locales asked for (`asked`; `none`: no
/// locale; neither: every `[locales] targets` locale with a directory under `root`), and sorts
/// them. `base` is `root` as the user named it. Translation files become sources of `project`.
pub(crate) fn add_locales(
    project: &mut Project,
    config: &Config,
    source: &dyn FileSource,
    (root, base): (&Path, &Path),
    (asked, none): (&[Locale], bool),
    diagnostics: &mut Vec<Diagnostic>,
) {
    let wanted = wanted(config, asked, none);
    if wanted.is_empty() {
        return;
    }
    let translations = Translations::load(project, source, root, base, &config.locales.dir, &wanted);
    let locales = chosen(config, asked, none, &translations);
    // The source's suppressions were judged without the locales (the language server's
    // incremental check): here they only silence.
    let suppressions = Suppressions::read(project);
    diagnostics.extend(check(project, config, &translations, &locales, &suppressions).0);
    super::sort(project, diagnostics);
    diagnostics.dedup();
}

/// `project` in `locale`, for a command that emits or rehearses it, with what keeps lines in
/// the source language or stops the output (`placeholder-mismatch`, `locale-file`), at the
/// locale's levels. Translation files become sources of `project`, so the diagnostics render
/// against it; the localised project has the same scripts under the same file ids.
pub(crate) fn in_locale(
    project: &mut Project,
    config: &Config,
    source: &dyn FileSource,
    (root, base): (&Path, &Path),
    locale: &Locale,
) -> (localise::Localised, Vec<Diagnostic>) {
    let translations =
        Translations::load(project, source, root, base, &config.locales.dir, std::slice::from_ref(locale));
    let settings = localise::Settings::of(config);
    let localised = localise(project, &translations, locale, &settings);
    let mut found = translations.problems.clone();
    found.extend(localised.problems.iter().cloned());
    let (found, _) = allow_in_po(&translations, found);
    let (found, _) = Suppressions::read(project).silence(project, found);
    let mut diagnostics = apply_levels(&config.for_locale(locale), found);
    super::sort(project, &mut diagnostics);
    diagnostics.dedup();
    (localised, diagnostics)
}

/// The diagnostics of `locales` (each checked in its own settings), without those the source's
/// `suppressions` silence, levels applied, unsorted; and which suppressions silenced them.
pub(crate) fn check(
    project: &Project,
    config: &Config,
    translations: &Translations,
    locales: &[Locale],
    suppressions: &Suppressions,
) -> (Vec<Diagnostic>, Used) {
    let settings = localise::Settings::of(config);
    let rules: Vec<&Rule> = TEXT_RULES.iter().map(|&code| registry::rule(code)).collect();
    let (problems, mut used) = suppressions.silence(project, translations.problems.clone());
    let mut out = Vec::new();
    for problem in problems {
        let locale = problem.locale.as_deref().and_then(|l| Locale::parse(l).ok());
        let config = locale.map_or_else(|| config.clone(), |locale| config.for_locale(&locale));
        out.extend(apply_levels(&config, vec![problem]));
    }
    // Locales are checked in parallel; the caller sorts, so the order is the same every run.
    use rayon::prelude::*;
    let per_locale: Vec<(Vec<Diagnostic>, Used, Allowed)> = locales
        .par_iter()
        .map(|locale| {
            let config = config.for_locale(locale);
            let localised = localise(project, translations, locale, &settings);
            let mut found = localised.problems.clone();
            let (rerun, _) = run_rules(&localised.project, &config, &rules);
            found.extend(rerun.into_iter().filter(|d| TEXT_RULES.contains(&d.code)).map(|d| localised.relocate(d)));
            let (found, allowed) = allow_in_po(translations, found);
            let (found, used) = suppressions.silence(project, found);
            (apply_levels(&config, found), used, allowed)
        })
        .collect();
    let mut allowed = Vec::new();
    for (found, silenced, allowed_here) in per_locale {
        out.extend(found);
        used.extend(silenced);
        allowed.extend(allowed_here);
    }
    for report in po_comment_reports(translations, locales, &allowed) {
        let locale = report.locale.as_deref().and_then(|l| Locale::parse(l).ok());
        let config = locale.map_or_else(|| config.clone(), |locale| config.for_locale(&locale));
        out.extend(apply_levels(&config, vec![report]));
    }
    (out, used)
}

/// A translator comment `# defuse: allow …`: its translation file, entry and comment indices.
type PoComment = (FileId, usize, usize);

/// The translator comments that allowed something, with the code each allowed.
type Allowed = Vec<(PoComment, Code)>;

/// The translator comment that allows `diagnostic`'s code on the PO entry it is about (its
/// main label on the entry's `msgstr`, or, for a line not translated, a label on its empty
/// `msgstr`), if one does.
fn allowed_in_po(translations: &Translations, diagnostic: &Diagnostic) -> Option<PoComment> {
    let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
    let (label, file) = labels.filter_map(|label| Some((label, translations.by_source(label.file)?.1))).next()?;
    let at = label.span.start()..label.span.end();
    let index = file.catalog.entries.iter().position(|entry| entry.msgstr_at == at)?;
    let comments = &file.catalog.entries[index].translator_comments;
    let comment =
        comments.iter().position(|comment| allowed_codes(comment).any(|code| code == diagnostic.code.as_str()))?;
    Some((file.file, index, comment))
}

/// `found` without what translator comments allow, and the comments that allowed something.
fn allow_in_po(translations: &Translations, found: Vec<Diagnostic>) -> (Vec<Diagnostic>, Allowed) {
    let mut used = Vec::new();
    let kept = found
        .into_iter()
        .filter(|diagnostic| match allowed_in_po(translations, diagnostic) {
            Some(comment) => {
                used.push((comment, diagnostic.code));
                false
            }
            None => true,
        })
        .collect();
    (kept, used)
}

/// The `suppression` reports of translator comments, one per comment, as section 2 has them
/// for the source's: a `# defuse:` comment that is malformed, names an unknown code, gives no
/// reason, or (its locale checked) silences nothing. Each stands on its entry's `msgid`.
fn po_comment_reports(translations: &Translations, checked: &[Locale], used: &Allowed) -> Vec<Diagnostic> {
    let mut reports = Vec::new();
    for (locale, file) in translations.files() {
        for (index, entry) in file.catalog.entries.iter().enumerate() {
            for (k, comment) in entry.translator_comments.iter().enumerate() {
                let Some(rest) = comment.trim().strip_prefix("defuse:") else { continue };
                let mut problems: Vec<String> = Vec::new();
                match rest.trim_start().strip_prefix("allow") {
                    None => problems.push("only `allow` is supported".to_owned()),
                    Some(rest) => {
                        let codes: Vec<&str> = allowed_codes(comment).collect();
                        if codes.is_empty() {
                            problems.push("it names no code".to_owned());
                        }
                        for code in codes {
                            match registry::find(code) {
                                None => {
                                    let names = registry::RULES.iter().map(|rule| rule.code.as_str());
                                    problems.push(match crate::suggest::closest(code, names) {
                                        Some(best) => format!("unknown code `{code}` (did you mean `{best}`?)"),
                                        None => format!("unknown code `{code}`"),
                                    });
                                }
                                Some(rule) if checked.contains(locale) => {
                                    if !used.contains(&((file.file, index, k), rule.code)) {
                                        problems.push(format!("its `{code}` silences nothing here"));
                                    }
                                }
                                Some(_) => {}
                            }
                        }
                        let reason = rest.split_once('"').and_then(|(_, after)| after.split_once('"'));
                        if reason.is_none_or(|(reason, _)| reason.trim().is_empty()) {
                            problems.push("it gives no reason in double quotes".to_owned());
                        }
                    }
                }
                if problems.is_empty() {
                    continue;
                }
                let span = crate::source::Span::new(entry.msgid_at.start, entry.msgid_at.end);
                let message =
                    format!("the translator comment `# {}` of this entry: {}", comment.trim(), problems.join("; "));
                reports.push(
                    Diagnostic::new(Code::Suppression, file.file, span, message)
                        .label("its translator comment")
                        .help("write `# defuse: allow CODE \"reason\"` above the entry")
                        .with_locale(locale),
                );
            }
        }
    }
    reports
}

/// The codes of `defuse: allow CODE[, CODE] "reason"` in a translator comment.
fn allowed_codes(comment: &str) -> impl Iterator<Item = &str> {
    let codes = comment
        .trim()
        .strip_prefix("defuse:")
        .and_then(|rest| rest.trim_start().strip_prefix("allow"))
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .unwrap_or("");
    codes.split([',', ' ']).filter(|code| !code.is_empty())
}

/// The locales `check` covers: those asked for with `--locale` (`none`: no locale), else every
/// `[locales] targets` locale whose directory exists.
pub(crate) fn chosen(config: &Config, asked: &[Locale], none: bool, translations: &Translations) -> Vec<Locale> {
    if none {
        return Vec::new();
    }
    if !asked.is_empty() {
        return asked.to_vec();
    }
    config.locales.targets.iter().filter(|locale| translations.has_directory(locale)).cloned().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_translator_comment_names_the_codes_it_allows() {
        let codes: Vec<&str> = super::allowed_codes(" defuse: allow phrase, long-translation \"a quote\"").collect();
        assert_eq!(codes, ["phrase", "long-translation"]);
        assert_eq!(super::allowed_codes("checked by Ana").count(), 0);
    }
}
