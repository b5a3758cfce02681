//! Moving one item of an ordered sequence (a drag and drop, or a move button): where it
//! goes, and, for things kept in order by a number (a list's `order` in `/api/lists`),
//! which numbers must change so the server lists them in the new order. Always built,
//! host-tested; the UI's sidebar and checklist use it.

/// The room left between renumbered items, so that most later moves change one number.
const GAP: i64 = 1024;

/// The largest `order` the API accepts (either sign), as `PATCH /api/lists/{id}` checks.
const LIMIT: i64 = 1_000_000_000;

/// Moves the item at `from` so that it ends up at index `to` (items between shift by one).
/// Out-of-range indices change nothing.
pub fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) {
    if from != to && from < items.len() && to < items.len() {
        let item = items.remove(from);
        items.insert(to, item);
    }
}

/// `orders` are the numbers of the items in their new sequence, the moved one (now at `at`)
/// still carrying its old number. The `(index, new number)` pairs to write: only the moved
/// item's when its new neighbours leave a number between them, otherwise every item whose
/// number changes when all are spread `GAP` apart (neighbours with equal numbers, which the
/// server orders by creation, included).
pub fn renumber(orders: &[i64], at: usize) -> Vec<(usize, i64)> {
    if at >= orders.len() {
        return Vec::new();
    }
    let before = at.checked_sub(1).map(|i| orders[i]);
    let after = orders.get(at + 1).copied();
    let between = match (before, after) {
        (None, None) => return Vec::new(),
        (Some(b), None) => Some(b.saturating_add(GAP)),
        (None, Some(a)) => Some(a.saturating_sub(GAP)),
        (Some(b), Some(a)) => (a.saturating_sub(b) >= 2).then(|| b + (a - b) / 2),
    };
    match between.filter(|n| (-LIMIT..=LIMIT).contains(n)) {
        Some(n) => vec![(at, n)],
        None => orders
            .iter()
            .enumerate()
            .filter_map(|(i, &old)| {
                let new = (i as i64 + 1) * GAP;
                (new != old).then_some((i, new))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(orders: &[i64], at: usize) -> Vec<i64> {
        let mut out = orders.to_vec();
        for (i, n) in renumber(orders, at) {
            out[i] = n;
        }
        out
    }

    fn strictly_rising(orders: &[i64]) -> bool {
        orders.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn moving_an_item_shifts_the_ones_between() {
        let mut v = vec!['a', 'b', 'c', 'd'];
        move_item(&mut v, 0, 2);
        assert_eq!(v, ['b', 'c', 'a', 'd']);
        move_item(&mut v, 3, 0);
        assert_eq!(v, ['d', 'b', 'c', 'a']);
        move_item(&mut v, 1, 9);
        assert_eq!(v, ['d', 'b', 'c', 'a']);
    }

    #[test]
    fn one_number_changes_when_the_neighbours_leave_room() {
        // [1, 2, 3] with the first moved last: [2, 3, 1] -> after 3.
        assert_eq!(renumber(&[2, 3, 1], 2), vec![(2, 3 + GAP)]);
        // The last moved first: before 1.
        assert_eq!(renumber(&[3, 1, 2], 0), vec![(0, 1 - GAP)]);
        // Between two numbers with room.
        assert_eq!(renumber(&[0, 50, 10], 1), vec![(1, 5)]);
    }

    #[test]
    fn neighbours_without_room_spread_everything() {
        // [1, 2, 3] with the last moved into the middle: [1, 3, 2] has no number between 1 and 2.
        let new = apply(&[1, 3, 2], 1);
        assert!(strictly_rising(&new), "{new:?}");
        assert_eq!(new, vec![GAP, 2 * GAP, 3 * GAP]);
        // Equal numbers (the server orders ties by creation) are spread too.
        let new = apply(&[5, 7, 5, 5], 1);
        assert!(strictly_rising(&new), "{new:?}");
    }

    #[test]
    fn numbers_stay_within_what_the_api_accepts() {
        let new = apply(&[LIMIT - 10, LIMIT - 5, 0], 2);
        assert!(strictly_rising(&new), "{new:?}");
        assert!(new.iter().all(|n| n.abs() <= LIMIT));
        let new = apply(&[LIMIT, -LIMIT], 0);
        assert!(strictly_rising(&new), "{new:?}");
    }

    #[test]
    fn nothing_changes_for_a_single_item_or_a_bad_index() {
        assert!(renumber(&[4], 0).is_empty());
        assert!(renumber(&[1, 2], 5).is_empty());
    }

    #[test]
    fn every_move_of_a_small_sequence_ends_in_rising_numbers() {
        let start = [1_i64, 2, 3, 4, 5];
        for from in 0..start.len() {
            for to in 0..start.len() {
                let mut moved = start.to_vec();
                move_item(&mut moved, from, to);
                let new = apply(&moved, to);
                assert!(strictly_rising(&new), "{from}->{to}: {new:?}");
            }
        }
    }
}
