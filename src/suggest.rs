//! "Did you mean": the closest candidate to a misspelled word.

/// The candidate nearest to `word`, if it is near enough to be a plausible typo.
///
/// Near enough means an edit distance of at most a third of the word's length (at least
/// one edit); ties go to the earliest candidate so suggestions are deterministic.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
