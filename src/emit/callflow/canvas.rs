//! Laying a flow out for a product's editor: where each step sits on the canvas, and unique
//! names for its parts.

use super::plan::Step;

/// Where each step goes on an editor's canvas: its stage's row (trigger at the top) and the
/// next free column of that row. Each product turns the cell into its own coordinates.
#[derive(Default)]
pub(crate) struct StageGrid {
    used: [i64; 6],
}

impl StageGrid {
    /// The (column, row) of `step`.
    pub(crate) fn place(&mut self, step: &Step) -> (i64, i64) {
        let row = step.node.stage.rank();
        self.used[row] += 1;
        (self.used[row] - 1, row as i64)
    }

    /// How many columns the widest row uses.
    pub(crate) fn columns(&self) -> i64 {
        self.used.iter().max().copied().unwrap_or(0)
    }
}

/// How a product shapes a wanted name into one it accepts, leaving `room` characters for a
/// suffix (`_` and its digits; 0 for none).
pub(crate) type Shape = fn(wanted: &str, room: usize) -> String;

/// Unique names for the parts of an export (widgets, blocks), in the product's [`Shape`]: the
/// shaped name if it is free, else the first free of `{stem}_2`, `{stem}_3`, …, exactly as a
/// retry from 2 would find.
///
/// Cost stays linear in the names claimed, however alike they are: for each stem and suffix
/// width the claimer remembers the next suffix that may be free, so no suffix is tried twice
/// (retrying from 2 made 16,384 names equal up to case take 15 s). The stem may depend on the
/// suffix width (Connect shortens a name to make room for its suffix); invariant: every
/// `{stem}_{n}` with a suffix of that width below the remembered one is taken.
pub(crate) struct NameClaimer {
    shape: Shape,
    taken: rustc_hash::FxHashSet<String>,
    /// (stem, digits of the suffix number) → the next number to try.
    next: rustc_hash::FxHashMap<(String, u32), u64>,
}

impl NameClaimer {
    pub fn new(shape: Shape) -> NameClaimer {
        NameClaimer { shape, taken: Default::default(), next: Default::default() }
    }

    /// Claims `wanted` shaped, or when that is taken `{stem}_{n}` for the smallest free n ≥ 2,
    /// the stem shaped to leave room for the suffix.
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        let whole = (self.shape)(wanted, 0);
        if self.taken.insert(whole.clone()) {
            return whole;
        }
        for digits in 1..u64::MAX.ilog10() {
            let (low, high) = (10u64.pow(digits - 1).max(2), 10u64.pow(digits));
            let stem = (self.shape)(wanted, digits as usize + 1);
            let next = self.next.entry((stem.clone(), digits)).or_insert(low);
            while *next < high {
                let name = format!("{stem}_{next}");
                *next += 1;
                if self.taken.insert(name.clone()) {
                    return name;
                }
            }
        }
        unreachable!("fewer than 10^18 names are claimed")
    }
}

#[cfg(test)]
mod tests {
    use super::NameClaimer;

    /// The reference: retry `_2`, `_3`, … from 2 for every name.
    fn retry_from_two(
        taken: &mut std::collections::HashSet<String>,
        wanted: &str,
        stem: &dyn Fn(usize) -> String,
    ) -> String {
        let mut name = wanted.to_owned();
        let mut n = 1;
        while !taken.insert(name.clone()) {
            n += 1;
            let suffix = format!("_{n}");
            name = format!("{}{suffix}", stem(suffix.len()));
        }
        name
    }

    /// Connect's shape: at most 12 characters, the stem shortened to make room for the suffix.
    fn short(wanted: &str, room: usize) -> String {
        wanted.chars().take(12 - room).collect()
    }

    #[test]
    fn claims_the_same_names_as_retrying_from_two() {
        let mut wanted: Vec<String> = Vec::new();
        for i in 0..300 {
            wanted.push("step".to_owned());
            wanted.push(format!("step_{}", i % 13 + 2));
            wanted.push(format!("abcdefghij{}", i % 7));
            wanted.push(format!("abcdefghi_{}", i % 11));
            wanted.push("abcdefghijkl".to_owned());
        }
        let (mut claimer, mut reference) = (NameClaimer::new(short), std::collections::HashSet::new());
        let mut seen = std::collections::HashSet::new();
        for name in &wanted {
            let wanted_name = short(name, 0);
            let claimed = claimer.claim(name);
            assert_eq!(
                claimed,
                retry_from_two(&mut reference, &wanted_name, &|room| short(name, room)),
                "claiming {name}"
            );
            assert!(claimed.len() <= 12 && seen.insert(claimed.clone()), "{claimed} is short and new");
        }
        assert_eq!(seen.len(), wanted.len());
    }

    #[test]
    fn many_equal_names_get_consecutive_suffixes() {
        let mut claimer = NameClaimer::new(|wanted, _| wanted.to_owned());
        let names: Vec<String> = (0..20_000).map(|_| claimer.claim("a")).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[1], "a_2");
        assert_eq!(names[19_999], "a_20000");
    }
}
