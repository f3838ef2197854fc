//! Link groups of parameter rows (union-find) and free-parameter discovery.
//!
//! Rows are the 0-based positions of the `par#` table. Rows holding the same
//! parameter object and rows joined by `link` form one group (connected
//! components, inference.md §2.5 recommended rule). A group is free iff no member
//! is frozen; its free slot is its lowest row.

/// Disjoint sets over `n` parameter rows.
#[derive(Debug, Clone)]
pub struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    /// `n` singleton groups.
    pub fn new(n: usize) -> Self {
        Groups {
            parent: (0..n).collect(),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Representative of the group of row `i` (the group's lowest row after [`Self::join`]).
    pub fn find(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    /// Join the groups of rows `a` and `b`; the lower representative wins.
    pub fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }

    /// Members of every group, each ascending, groups ordered by their lowest row.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); self.parent.len()];
        for i in 0..self.parent.len() {
            by_root[self.find(i)].push(i);
        }
        by_root.into_iter().filter(|g| !g.is_empty()).collect()
    }
}

/// One free parameter: the group's rows (the first is the free slot).
#[derive(Debug, Clone, PartialEq)]
pub struct FreeGroup {
    /// Rows of the group, ascending; `rows[0]` is the free slot.
    pub rows: Vec<usize>,
}

/// The free groups in free-parameter order (= order of their lowest row):
/// a group is free iff none of its rows is frozen.
pub fn free_groups(groups: &Groups, frozen: &[bool]) -> Vec<FreeGroup> {
    groups
        .members()
        .into_iter()
        .filter(|rows| rows.iter().all(|&r| !frozen[r]))
        .map(|rows| FreeGroup { rows })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_of_links_form_one_group() {
        // link 1–3, then 2–3 (0-based 0–2, 1–2): one group, as the recommended rule says.
        let mut g = Groups::new(5);
        g.join(0, 2);
        g.join(1, 2);
        let free = free_groups(&g, &[false; 5]);
        assert_eq!(
            free,
            vec![
                FreeGroup {
                    rows: vec![0, 1, 2]
                },
                FreeGroup { rows: vec![3] },
                FreeGroup { rows: vec![4] }
            ]
        );
    }

    #[test]
    fn frozen_member_freezes_the_group() {
        let mut g = Groups::new(4);
        g.join(1, 3);
        let free = free_groups(&g, &[false, false, false, true]);
        assert_eq!(
            free,
            vec![FreeGroup { rows: vec![0] }, FreeGroup { rows: vec![2] }]
        );
    }
}
