//! Vertical positions: each rank keeps its order and spacing, and every item is pulled towards
//! the items it is joined to, so chains run straight.
//!
//! Not Brandes–Köpf: a simpler priority method. Sweeps go down and up the ranks; in each rank
//! every item wants the weighted mean height of its neighbours in both adjacent ranks
//! (segments between two dummies weigh 8, between a dummy and a node 2, between nodes 1, as in
//! Graphviz's `dot`, so long edges straighten first), and the heights nearest to what the items
//! want (least squares) that keep the order and the spacing are found exactly in linear time
//! by pooling adjacent violators. Each sweep is O(V + E).

use super::Layered;

const SWEEPS: usize = 60;
/// How strongly an item with no neighbours stays where it is.
const STAY: f64 = 0.01;

/// The center height of every item.
pub(super) fn centers(graph: &Layered, ranks: &[Vec<usize>], separation: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    let mut y = vec![0.0; graph.items.len()];
    for rank in ranks {
        let mut at = 0.0;
        for (i, &item) in rank.iter().enumerate() {
            if i > 0 {
                at += separation(rank[i - 1], item);
            }
            y[item] = at;
        }
    }
    for sweep in 0..SWEEPS {
        let order: Vec<&Vec<usize>> =
            if sweep % 2 == 0 { ranks.iter().collect() } else { ranks.iter().rev().collect() };
        for rank in order {
            if rank.is_empty() {
                continue;
            }
            let wanted: Vec<(f64, f64)> = rank
                .iter()
                .map(|&item| {
                    let (sum, weight) = graph.preds[item]
                        .iter()
                        .chain(&graph.succs[item])
                        .fold((0.0, 0.0), |(s, w), &(other, weight)| (s + y[other] * weight, w + weight));
                    if weight == 0.0 {
                        (y[item], STAY)
                    } else {
                        (sum / weight, weight)
                    }
                })
                .collect();
            let gaps: Vec<f64> = rank.windows(2).map(|pair| separation(pair[0], pair[1])).collect();
            for (item, at) in rank.iter().zip(nearest_in_order(&wanted, &gaps)) {
                y[*item] = at;
            }
        }
    }
    y
}

/// The heights `y` nearest to `wanted` (value, weight) in weighted least squares such that
/// `y[i + 1] >= y[i] + gaps[i]`: shifted by the running sum of the gaps, this is isotonic
/// regression, solved by pooling adjacent violators.
fn nearest_in_order(wanted: &[(f64, f64)], gaps: &[f64]) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(wanted.len());
    let mut offset = 0.0;
    for i in 0..wanted.len() {
        if i > 0 {
            offset += gaps[i - 1];
        }
        offsets.push(offset);
    }
    // Blocks of (weighted sum, weight, length), their means increasing.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, &(value, weight)) in wanted.iter().enumerate() {
        let mut block = ((value - offsets[i]) * weight, weight, 1);
        while let Some(&(sum, w, len)) = blocks.last() {
            if sum / w >= block.0 / block.1 {
                blocks.pop();
                block = (block.0 + sum, block.1 + w, block.2 + len);
            } else {
                break;
            }
        }
        blocks.push(block);
    }
    let mut y = Vec::with_capacity(wanted.len());
    for (sum, weight, len) in blocks {
        let mean = sum / weight;
        for _ in 0..len {
            y.push(mean + offsets[y.len()]);
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::nearest_in_order;

    #[test]
    fn items_keep_their_order_and_spacing_as_near_as_they_can_get() {
        // Both want 0: they share the overlap, 10 apart.
        assert_eq!(nearest_in_order(&[(0.0, 1.0), (0.0, 1.0)], &[10.0]), [-5.0, 5.0]);
        // Free to be where they want.
        assert_eq!(nearest_in_order(&[(0.0, 1.0), (50.0, 1.0)], &[10.0]), [0.0, 50.0]);
        // The heavier one moves less.
        assert_eq!(nearest_in_order(&[(0.0, 3.0), (0.0, 1.0)], &[8.0]), [-2.0, 6.0]);
    }
}
