//! "Did you mean": the closest candidate to a misspelled word.

/// The candidate nearest to `word`, if it is near enough to be a plausible typo.
///
/// Near enough means an edit distance of at most a third of the word's length (at least
/// one edit); ties go to the earliest candidate so suggestions are deterministic.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let distance = strsim::damerau_levenshtein(word, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["find_cause", "offer", "restate"];
        assert_eq!(closest("find_cuase", names), Some("find_cause"));
        assert_eq!(closest("ofer", names), Some("offer"));
        assert_eq!(closest("zzz", names), None);
        assert_eq!(closest("acknowlege", ["acknowledge", "close"]), Some("acknowledge"));
    }
}
