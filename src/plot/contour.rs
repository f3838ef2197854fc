//! Marching squares: iso-lines of a gridded field, joined into polylines.

use std::collections::HashMap;

/// Iso-lines of `values` (`nx × ny`, stored `values[ix * ny + iy]`, sampled at `xs[ix]`,
/// `ys[iy]`) at `level`, as polylines in the same coordinates. Saddle cells are resolved by the
/// cell-centre average.
pub fn iso_lines(values: &[f64], xs: &[f64], ys: &[f64], level: f64) -> Vec<Vec<(f64, f64)>> {
    let (nx, ny) = (xs.len(), ys.len());
    if nx < 2 || ny < 2 || values.len() != nx * ny {
        return Vec::new();
    }
    let v = |i: usize, j: usize| values[i * ny + j];
    // Edge ids: horizontal edge (i,j)–(i+1,j) = 2·(i·ny + j); vertical (i,j)–(i,j+1) = +1.
    let h_edge = |i: usize, j: usize| 2 * (i * ny + j);
    let v_edge = |i: usize, j: usize| 2 * (i * ny + j) + 1;
    let point = |edge: usize| -> (f64, f64) {
        let node = edge / 2;
        let (i, j) = (node / ny, node % ny);
        let (i2, j2) = if edge.is_multiple_of(2) {
            (i + 1, j)
        } else {
            (i, j + 1)
        };
        let (a, b) = (v(i, j), v(i2, j2));
        let t = if b != a {
            ((level - a) / (b - a)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        (xs[i] + t * (xs[i2] - xs[i]), ys[j] + t * (ys[j2] - ys[j]))
    };
    let mut segments: Vec<(usize, usize)> = Vec::new();
    for i in 0..nx - 1 {
        for j in 0..ny - 1 {
            let (a, b, c, d) = (v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1));
            let case = usize::from(a > level)
                | usize::from(b > level) << 1
                | usize::from(c > level) << 2
                | usize::from(d > level) << 3;
            let bottom = h_edge(i, j);
            let top = h_edge(i, j + 1);
            let left = v_edge(i, j);
            let right = v_edge(i + 1, j);
            let centre_above = 0.25 * (a + b + c + d) > level;
            match case {
                1 | 14 => segments.push((left, bottom)),
                2 | 13 => segments.push((bottom, right)),
                3 | 12 => segments.push((left, right)),
                4 | 11 => segments.push((right, top)),
                6 | 9 => segments.push((bottom, top)),
                7 | 8 => segments.push((left, top)),
                5 => {
                    if centre_above {
                        segments.push((bottom, right));
                        segments.push((left, top));
                    } else {
                        segments.push((left, bottom));
                        segments.push((right, top));
                    }
                }
                10 => {
                    if centre_above {
                        segments.push((left, bottom));
                        segments.push((right, top));
                    } else {
                        segments.push((bottom, right));
                        segments.push((left, top));
                    }
                }
                _ => {}
            }
        }
    }
    // Join segments sharing edges into polylines.
    let mut by_edge: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, &(e0, e1)) in segments.iter().enumerate() {
        by_edge.entry(e0).or_default().push(k);
        by_edge.entry(e1).or_default().push(k);
    }
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    for start in 0..segments.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let (e0, e1) = segments[start];
        let mut chain = std::collections::VecDeque::from([e0, e1]);
        // extend forward from the back, then backward from the front
        for forward in [true, false] {
            loop {
                let end = if forward {
                    chain[chain.len() - 1]
                } else {
                    chain[0]
                };
                let next = by_edge
                    .get(&end)
                    .and_then(|ks| ks.iter().copied().find(|&k| !used[k]));
                let Some(k) = next else { break };
                used[k] = true;
                let (a, b) = segments[k];
                let other = if a == end { b } else { a };
                if forward {
                    chain.push_back(other);
                } else {
                    chain.push_front(other);
                }
            }
        }
        lines.push(chain.into_iter().map(point).collect());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_of_a_cone() {
        let n = 41;
        let xs: Vec<f64> = (0..n)
            .map(|i| -2.0 + 4.0 * i as f64 / (n - 1) as f64)
            .collect();
        let mut v = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                v[i * n + j] = 3.0 - (xs[i] * xs[i] + xs[j] * xs[j]).sqrt();
            }
        }
        let lines = iso_lines(&v, &xs, &xs, 2.0);
        assert_eq!(lines.len(), 1, "one closed line");
        let l = &lines[0];
        assert!(l.len() > 20);
        let first = l[0];
        let last = l[l.len() - 1];
        assert!(
            (first.0 - last.0).abs() < 1e-12 && (first.1 - last.1).abs() < 1e-12,
            "closed"
        );
        for p in l {
            let r = (p.0 * p.0 + p.1 * p.1).sqrt();
            assert!((r - 1.0).abs() < 0.02, "radius {r}");
        }
    }
}
