//! "Did you mean": the closest candidate to a misspelled word, or the name a shortened word
//! abbreviates (`case_no` for `case_number`).
//!
//! Both searches are one pass over the candidates with work bounded per candidate, so a
//! caller's budget (names compared) bounds the time.

/// The candidate nearest to `word`, if it is near enough to be a plausible typo.
///
/// Near enough means an edit distance of at most a third of the word's length (at least
/// one edit); ties go to the earliest candidate so suggestions are deterministic.
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut letters = Letters::of(word);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // A candidate must beat the best so far. The letter-count bound, one pass over the
        // name, rules out almost every candidate before the quadratic distance runs (a file of
        // 10,000 names and 10,000 typos took half a minute without it).
        let bound = best.map_or(limit, |(distance, _)| distance - 1);
        if letters.distance(candidate) > bound || candidate == word {
            continue;
        }
        let distance = strsim::damerau_levenshtein(word, candidate);
        if distance <= bound {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Like [`closest`]; when no candidate is near enough, the first candidate that `word`
/// abbreviates: it starts with `word`, or it has as many `_`-separated parts, one of them the
/// same, and each other part of `word` shortens the matching part, starting with its letter
/// (`case_no` for `case_number`, `cust_name` for `customer_name`). Words shorter than three
/// characters abbreviate nothing: they would match too much.
pub(crate) fn closest_or_abbreviated<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let candidates = candidates.into_iter();
    closest(word, candidates.clone()).or_else(|| candidates.into_iter().find(|candidate| abbreviates(word, candidate)))
}

/// Whether `word` is a shortened `name` (see [`closest_or_abbreviated`]).
pub(crate) fn abbreviates(word: &str, name: &str) -> bool {
    if word.chars().count() < 3 || word == name {
        return false;
    }
    if name.starts_with(word) {
        return true;
    }
    let (parts, name_parts) = (word.split('_'), name.split('_'));
    if parts.clone().count() != name_parts.clone().count() {
        return false;
    }
    let mut pairs = parts.zip(name_parts);
    let shortens = |(part, name_part): (&str, &str)| {
        part.len() <= name_part.len() && !part.is_empty() && part.chars().next() == name_part.chars().next()
    };
    pairs.clone().any(|(part, name_part)| part == name_part) && pairs.all(shortens)
}

/// Index of a character in the letter counts: every non-ASCII character shares one slot,
/// which keeps the bag distance a lower bound.
fn slot(c: char) -> usize {
    (c as usize).min(128)
}

/// How many times each letter occurs in a word, and scratch counts for a candidate.
struct Letters {
    word: [u32; 129],
    length: usize,
    seen: [u32; 129],
}

impl Letters {
    fn of(word: &str) -> Letters {
        let mut counts = [0; 129];
        for c in word.chars() {
            counts[slot(c)] += 1;
        }
        Letters { word: counts, length: word.chars().count(), seen: [0; 129] }
    }

    /// The bag distance: each edit (insert, delete, substitute, swap) changes the letters of a
    /// word by at most one in each direction, so this never exceeds the edit distance.
    fn distance(&mut self, other: &str) -> usize {
        let (mut length, mut extra) = (0, 0);
        let mut count = |slot: usize| {
            self.seen[slot] += 1;
            extra += usize::from(self.seen[slot] > self.word[slot]);
            length += 1;
        };
        // Names are almost always ASCII: bytes are letters, no decoding needed.
        if other.is_ascii() {
            other.bytes().for_each(|byte| count(usize::from(byte)));
            other.bytes().for_each(|byte| self.seen[usize::from(byte)] = 0);
        } else {
            other.chars().for_each(|c| count(slot(c)));
            other.chars().for_each(|c| self.seen[slot(c)] = 0);
        }
        // Letters both share: `length - extra`; the word's other letters are missing.
        let missing = self.length - (length - extra);
        missing.max(extra)
    }
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

    #[test]
    fn shortened_names_are_suggested_when_no_typo_is_near() {
        use super::closest_or_abbreviated as find;
        assert_eq!(find("case_no", ["case_ref", "case_number"]), Some("case_number"));
        assert_eq!(find("cust_name", ["customer_name", "order"]), Some("customer_name"));
        assert_eq!(find("custmer_name", ["customer_name", "custmer_name_x"]), Some("customer_name"), "a typo first");
        assert_eq!(find("ca", ["case_number"]), None, "too short to abbreviate");
        assert_eq!(find("case_no", ["case_note_number"]), Some("case_note_number"), "a plain prefix");
        assert_eq!(find("no_case", ["case_number"]), None);
        assert_eq!(find("acct_no", ["account_number"]), None, "one part must be the same");
        assert_eq!(find("case_nox", ["case_no"]), Some("case_no"), "a typo is still a typo");
        assert_eq!(find("a__b", ["abc__bcd"]), None, "empty parts abbreviate nothing");
    }

    #[test]
    fn the_nearest_wins_and_ties_go_to_the_first() {
        assert_eq!(closest("offre", ["offers", "offer", "offre_x"]), Some("offer"));
        assert_eq!(closest("abcd", ["abce", "abcf"]), Some("abce"));
        assert_eq!(closest("ab", ["ba", "abc"]), Some("ba"), "a swap is one edit");
        assert_eq!(closest("résumé", ["resume", "résume"]), Some("résume"));
    }

    /// The letter-count bound is at least the length difference and never rules out a candidate the edit distance would accept.
    #[test]
    fn the_bounds_never_exceed_the_edit_distance() {
        let words = ["", "a", "ab", "ba", "abc", "cab", "offer", "ofer", "refund_now", "now_refund", "é", "ée", "q10"];
        for a in words {
            for b in words {
                let exact = strsim::damerau_levenshtein(a, b);
                let bag = super::Letters::of(a).distance(b);
                assert!(bag <= exact && bag >= a.chars().count().abs_diff(b.chars().count()), "{a} / {b}");
            }
        }
    }
}
