//! The statistic evaluation is allocation-free (hot path): counted with a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use bayspec::stat::{StatInputs, Statistic};

struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn eval_and_eval_bins_do_not_allocate() {
    let n = 128;
    let s: Vec<f64> = (0..n).map(|i| (i % 17) as f64).collect();
    let b: Vec<f64> = (0..n).map(|i| (i % 5) as f64 * 3.0).collect();
    let ss: Vec<f64> = s.iter().map(|v| v.sqrt()).collect();
    let sb: Vec<f64> = b.iter().map(|v| v.max(1.0).sqrt()).collect();
    let m: Vec<f64> = (0..n).map(|i| 0.1 + 0.01 * i as f64).collect();
    let (ts, tb) = ([10.0], [20.0]);
    let inp = StatInputs::new(&s, &b, &ss, &sb, &ts, &tb);
    let (mut c, mut r) = (vec![0.0; n], vec![0.0; n]);
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let mut total = 0.0;
    for stat in Statistic::ALL {
        total += stat.eval(&inp, &m);
        total += stat.eval_bins(&inp, &m, &mut c, &mut r);
    }
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    assert!(total.is_finite() && total > 0.0);
    assert_eq!(after - before, 0, "statistic evaluation allocated");
}
