//! The compiled hot path: equality with the tree walk, workspace reuse and caches, bin
//! integration rule, error reporting, and no allocation once the workspace is sized.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use bayspec::model::{CompiledModel, Component, Model, Op, Workspace};

/// Counts allocations made by the current thread.
struct CountingAlloc;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocs() -> usize {
    ALLOCS.with(|c| c.get())
}

fn b(n: &str) -> Model {
    Model::builtin(n).unwrap()
}

fn comb(l: &Model, op: Op, r: &Model) -> Model {
    Model::combine(l, op, r).unwrap()
}

fn grid(n: usize, lo: f64, hi: f64) -> Vec<f64> {
    (0..n)
        .map(|i| lo * (hi / lo).powf(i as f64 / (n - 1) as f64))
        .collect()
}

fn edges(n: usize) -> (Vec<f64>, Vec<f64>) {
    let g = grid(n + 1, 8.0, 1000.0);
    (g[..n].to_vec(), g[1..].to_vec())
}

#[test]
fn compiled_model_is_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<CompiledModel>();
    check::<Model>();
    check::<Component>();
}

#[test]
fn compiled_equals_tree_walk_for_composites() {
    let models = [
        comb(
            &comb(&b("tbabs"), Op::Mul, &b("tbabs")),
            Op::Mul,
            &comb(&b("cpl"), Op::Add, &b("csbpl")),
        ),
        comb(
            &comb(&b("band"), Op::Mul, &b("hecut")),
            Op::Sub,
            &Model::num_combine(0.5, Op::Mul, &b("bb")).unwrap(),
        ),
        comb(
            &Model::num_combine(1.0, Op::Sub, &b("hecut")).unwrap(),
            Op::Mul,
            &b("sb4pl"),
        ),
        comb(
            &comb(&b("dband"), Op::Div, &b("phabs")),
            Op::Add,
            &comb(&b("mbb"), Op::Mul, &b("wabs")),
        ),
    ];
    let e = grid(300, 0.3, 3e4);
    let mut ws = Workspace::new();
    for m in &models {
        let c = m.compile().unwrap();
        assert_eq!(c.npar(), m.npar());
        let tree = m.eval(&e, None).unwrap();
        let mut out = vec![0.0; e.len()];
        c.eval(&c.values_from(m).unwrap(), &e, None, &mut out, &mut ws)
            .unwrap();
        for (a, b) in tree.iter().zip(&out) {
            assert!(a.to_bits() == b.to_bits(), "{}: {a:e} vs {b:e}", m.expr());
        }
        // different parameter values passed at call time (not written to the model)
        let mut pars = m.par_values();
        for (p, e) in pars.iter_mut().zip(m.params()) {
            if !e.par.frozen() {
                let (lo, hi) = e.par.range().unwrap();
                *p = lo + 0.37 * (hi - lo);
            }
        }
        c.eval(&pars, &e, None, &mut out, &mut ws).unwrap();
        let saved = m.par_values();
        m.set_par_values(&pars).unwrap();
        let tree = m.eval(&e, None).unwrap();
        m.set_par_values(&saved).unwrap();
        for (a, b) in tree.iter().zip(&out) {
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "{}: {a:e} vs {b:e}",
                m.expr()
            );
        }
    }
}

#[test]
fn workspace_reuse_across_models_and_grids_gives_fresh_results() {
    let m1 = comb(&b("tbabs"), Op::Mul, &b("cpl"));
    let m2 = comb(&b("phabs"), Op::Mul, &b("band"));
    m2.cfg(1).unwrap().set_val(0.5.into()).unwrap();
    let (c1, c2) = (m1.compile().unwrap(), m2.compile().unwrap());
    let (p1, p2) = (m1.par_values(), m2.par_values());
    let ea = grid(64, 0.2, 50.0);
    let eb = grid(64, 0.3, 80.0);
    let ec = grid(10, 0.5, 5.0);
    let mut shared = Workspace::new();
    let mut out = vec![0.0; 64];
    for (c, p, e) in [
        (&c1, &p1, &ea),
        (&c2, &p2, &ea),
        (&c1, &p1, &eb),
        (&c1, &p1, &ec),
        (&c2, &p2, &eb),
        (&c1, &p1, &ea),
    ] {
        let mut fresh = vec![0.0; e.len()];
        c.eval(p, e, None, &mut fresh, &mut Workspace::new())
            .unwrap();
        let o = &mut out[..e.len()];
        c.eval(p, e, None, o, &mut shared).unwrap();
        assert_eq!(o, &fresh[..], "{}", c.expr());
    }
}

#[test]
fn integrate_bins_is_the_five_point_trapezoid() {
    let m = comb(&b("tbabs"), Op::Mul, &b("band"));
    let (lo, hi) = edges(40);
    let got = m.integrate_bins(&lo, &hi, None).unwrap();
    for i in 0..lo.len() {
        let x: Vec<f64> = (0..5)
            .map(|j| lo[i] + (hi[i] - lo[i]) * (j as f64 * 0.25))
            .collect();
        let y = m.phtspec(&x, None).unwrap();
        let want: f64 = (0..4)
            .map(|j| 0.5 * (y[j] + y[j + 1]) * (x[j + 1] - x[j]))
            .sum();
        assert!(
            (got[i] - want).abs() <= 1e-14 * want,
            "bin {i}: {} vs {want}",
            got[i]
        );
    }
    // exact for a linear spectrum: pl with α = 1 → ∫ E dE
    let pl = b("pl");
    pl.par("alpha").unwrap().set_val(1.0);
    let f = pl.integrate_bins(&[2.0], &[5.0], None).unwrap();
    assert!((f[0] - 0.5 * (25.0 - 4.0)).abs() < 1e-13);
    // a bin starting at 0 keV samples 1e-10 keV (reference rule)
    let c = b("cpl");
    let f = c.integrate_bins(&[0.0], &[1.0], None).unwrap();
    assert!(f[0] > 1e9);
}

#[test]
fn hot_path_reports_bad_calls() {
    let m = b("cpl");
    let c = m.compile().unwrap();
    let mut ws = Workspace::new();
    let mut out = [0.0; 3];
    let e = [1.0, 2.0, 3.0];
    assert!(c
        .eval(&[1.0, 2.0], &e, None, &mut out, &mut ws)
        .unwrap_err()
        .to_string()
        .contains("3 parameter"));
    assert!(c
        .eval(&m.par_values(), &e, None, &mut out[..2], &mut ws)
        .is_err());
    assert!(c
        .integrate_bins(
            &m.par_values(),
            &[1.0],
            &[2.0, 3.0],
            None,
            &mut out[..1],
            &mut ws
        )
        .is_err());
    let err = c
        .integrate_bins(
            &m.par_values(),
            &[3.0],
            &[2.0],
            None,
            &mut out[..1],
            &mut ws,
        )
        .unwrap_err();
    assert!(err.to_string().contains("bin 1"), "{err}");
    let t = b("tbabs").compile().unwrap();
    assert!(t
        .integrate_bins(&[1.0], &[1.0], &[2.0], None, &mut out[..1], &mut ws)
        .is_err());
    let h = b("hlecpl").compile().unwrap();
    let err = h
        .eval(&[0.0, 2.0, 0.0, 0.0, 10.0], &e, None, &mut out, &mut ws)
        .unwrap_err();
    assert!(err.to_string().contains("time"), "{err}");
    h.eval(
        &[-1.0, 2.0, 0.0, 0.0, 10.0],
        &e,
        Some(20.0),
        &mut out,
        &mut ws,
    )
    .unwrap();
    assert!(out.iter().all(|x| x.is_finite()));
    let err = c.values_from(&b("band")).unwrap_err();
    assert!(err.to_string().contains("compile"), "{err}");
}

#[test]
fn eval_and_integrate_do_not_allocate_once_sized() {
    let m = comb(
        &comb(&b("tbabs"), Op::Mul, &b("cpl")),
        Op::Add,
        &comb(&b("band"), Op::Mul, &b("hecut")),
    );
    let c = m.compile().unwrap();
    let mut pars = m.par_values();
    let (lo, hi) = edges(128);
    let e = grid(500, 1.0, 1e4);
    let mut flux = vec![0.0; 128];
    let mut out = vec![0.0; 500];
    let mut ws = Workspace::new();
    // warm up: sizes the workspace for both shapes
    c.integrate_bins(&pars, &lo, &hi, None, &mut flux, &mut ws)
        .unwrap();
    c.eval(&pars, &e, None, &mut out, &mut ws).unwrap();
    let before = allocs();
    for k in 0..20 {
        pars[1] = -1.0 + 0.01 * k as f64;
        c.integrate_bins(&pars, &lo, &hi, None, &mut flux, &mut ws)
            .unwrap();
        c.eval(&pars, &e, None, &mut out, &mut ws).unwrap();
    }
    assert_eq!(allocs() - before, 0, "allocations in the hot path");
    assert!(flux.iter().all(|x| x.is_finite() && *x > 0.0));
}

#[test]
fn is_current_detects_config_and_parameter_set_changes() {
    let m = comb(&b("tbabs"), Op::Mul, &b("cpl"));
    let c = m.compile().unwrap();
    assert!(c.is_current(&m));
    m.par("alpha").unwrap().set_val(-0.5); // values are passed at call time: still current
    assert!(c.is_current(&m));
    m.cfg("cpl.redshift").unwrap().set_val(0.2.into()).unwrap();
    assert!(!c.is_current(&m));
    let c = m.compile().unwrap();
    assert!(c.is_current(&m));
    m.cfg("vfv_peak").unwrap().set_val(false.into()).unwrap();
    assert!(!c.is_current(&m));
    assert!(!m.compile().unwrap().is_current(&b("cpl")));
}
