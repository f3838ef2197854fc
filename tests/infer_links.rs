//! Parameter numbering, sharing and linking across pairs (inference.md §2.4–2.6), on data
//! the test simulates itself.

mod common;

use bayspec::data::Data;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::{Component, Model, Op};
use common::synth::{simulated_unit, temp_dir};

fn truth() -> Model {
    let m = Model::builtin("cpl").unwrap();
    m.set_par_values(&[-1.0, 2.5, 0.5]).unwrap();
    m
}

fn data(dir: &std::path::Path, seed: u64) -> Data {
    let u = simulated_unit(dir, false, &truth(), 20.0, seed);
    Data::from_pairs(vec![("nai".into(), u)]).unwrap()
}

#[test]
fn shared_component_gives_one_free_slot_per_parameter() {
    let dir = temp_dir("links-shared");
    let c = Component::builtin("cpl").unwrap();
    let m1 = Model::from_component(&c);
    let m2 = Model::from_component(&c);
    let infer = Infer::new(
        InferKind::Bayes,
        vec![
            Pair::new(data(&dir, 1), m1).unwrap(),
            Pair::new(data(&dir, 2), m2).unwrap(),
        ],
    )
    .unwrap();
    // 3 + 3 model rows, then 5 nuisance rows per unit
    assert_eq!(infer.rows().len(), 6 + 10);
    assert_eq!(infer.free_nparams(), 3);
    assert_eq!(infer.free_numbers(), vec![1, 2, 3]);
    assert_eq!(infer.data_name(0), "data1");
    assert_eq!(infer.data_name(1), "data2");
    // each pair folds through its own data: the total is the sum of the two pairs alone
    let alone: f64 = infer.pairs().iter().map(|p| p.stat().unwrap()).sum();
    assert!((infer.stat().unwrap() - alone).abs() < 1e-9 * alone);
    let p1 = infer.pairs()[0].stat().unwrap();
    let p2 = infer.pairs()[1].stat().unwrap();
    assert!(
        (p1 - p2).abs() > 1e-6,
        "different data must give different stats"
    );
}

#[test]
fn link_across_models_freeze_and_unlink() {
    let dir = temp_dir("links-link");
    let m1 = Model::builtin("cpl").unwrap();
    let bb = Model::builtin("bb").unwrap();
    let m2 = Model::combine(&Model::builtin("cpl").unwrap(), Op::Add, &bb).unwrap();
    let mut infer = Infer::new(
        InferKind::Bayes,
        vec![
            Pair::new(data(&dir, 3), m1.clone()).unwrap(),
            Pair::new(data(&dir, 4), m2.clone()).unwrap(),
        ],
    )
    .unwrap();
    let n_model = m1.npar() + m2.npar();
    assert_eq!(infer.free_nparams(), n_model);
    // link alpha of pair 1 (par#1) with alpha of pair 2 (par#4)
    infer.par(1).unwrap().set_val(-0.7);
    infer.link(&[1, 4]).unwrap();
    assert_eq!(infer.free_nparams(), n_model - 1);
    assert_eq!(
        infer.par(4).unwrap().val(),
        -0.7,
        "the first listed value wins"
    );
    assert!(!infer.free_numbers().contains(&4));
    let info = infer.par_info();
    assert_eq!(info[0].par, "1*");
    assert_eq!(info[3].par, "4");
    assert_eq!(info[3].prior, "=par#{1}");
    assert!(info
        .iter()
        .any(|r| r.class == "data" && r.prior == "frozen"));
    let out = temp_dir("links-save");
    infer.save(&out).unwrap();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("infer_par.json")).unwrap())
            .unwrap();
    assert_eq!(saved[0]["par#"], "1*");
    assert_eq!(saved[3]["Prior"], "=par#{1}");
    assert!(out.join("infer_cfg.json").is_file());
    let text = infer.to_string();
    assert!(
        text.contains("*** Bayesian Inference ***") && text.contains("stat/dof"),
        "{text}"
    );
    // writing θ moves both members of the group
    let theta: Vec<f64> = infer.free_pvalues().iter().map(|v| v + 0.01).collect();
    infer.set_free_values(&theta).unwrap();
    assert_eq!(infer.par(1).unwrap().val(), infer.par(4).unwrap().val());
    // the compiled plan sees one group too, and agrees with the object path
    let plan = infer.compile().unwrap();
    assert_eq!(plan.ndim(), n_model - 1);
    let obj = infer.stat().unwrap();
    assert!((plan.stat(&theta) - obj).abs() <= 1e-12 * obj.abs());
    // freezing any member freezes the group
    infer.par(4).unwrap().frozen_at(-0.5);
    assert_eq!(infer.free_nparams(), n_model - 2);
    infer.par(4).unwrap().set_frozen(false);
    // unlink restores two slots
    infer.unlink(&[1, 4]).unwrap();
    assert_eq!(infer.free_nparams(), n_model);
    // errors
    assert!(infer.link(&[1, 1]).is_err());
    let e = infer.link(&[1, 999]).unwrap_err().to_string();
    assert!(e.contains("par#999"), "{e}");
}

#[test]
fn free_parameter_without_prior_is_an_error_at_compile() {
    let dir = temp_dir("links-noprior");
    let m = Model::builtin("cpl").unwrap();
    m.par(2usize).unwrap().set_prior(None);
    let infer = Infer::new(InferKind::Bayes, vec![Pair::new(data(&dir, 5), m).unwrap()]).unwrap();
    let e = infer.compile().err().unwrap().to_string();
    assert!(e.contains("par#2") && e.contains("no prior"), "{e}");
}

/// Freezing a linked parameter that is not the group's first fixes the whole group at that
/// value in the compiled likelihood and in the object path alike; conflicting frozen values
/// and a prior changed on a later member after linking are errors, not silently ignored.
#[test]
fn a_linked_group_is_consistent_whichever_member_changes() {
    use bayspec::model::prior::Prior;
    let dir = temp_dir("links-settle");
    let m1 = Model::builtin("cpl").unwrap();
    let m2 = Model::builtin("cpl").unwrap();
    let mut infer = Infer::new(
        InferKind::Bayes,
        vec![
            Pair::new(data(&dir, 11), m1.clone()).unwrap(),
            Pair::new(data(&dir, 12), m2.clone()).unwrap(),
        ],
    )
    .unwrap();
    // par#1 = alpha of pair 1, par#4 = alpha of pair 2
    infer.link(&[1, 4]).unwrap();
    assert_eq!(infer.free_nparams(), 5);
    let a2 = m2.par("alpha").unwrap();
    a2.frozen_at(-0.7);
    let plan = infer.compile().unwrap();
    assert_eq!(plan.ndim(), 4);
    // both alphas now -0.7, the plan agrees with the object path
    assert_eq!(m1.par("alpha").unwrap().val(), -0.7);
    let theta = infer.free_pvalues();
    let (compiled, object) = (plan.stat(&theta), infer.stat().unwrap());
    assert!(
        (compiled - object).abs() <= 1e-9 * object.abs(),
        "{compiled} vs {object}"
    );
    // two frozen members at different values
    m1.par("alpha").unwrap().frozen_at(-0.5);
    let e = infer.compile().err().unwrap().to_string();
    assert!(e.contains("frozen at different values"), "{e}");
    assert!(infer.stat().is_err());
    // thawed again, a prior set on the later member after linking
    m1.par("alpha").unwrap().set_frozen(false);
    a2.set_frozen(false);
    a2.set_prior(Some(Prior::unif(-3.0, 1.0).unwrap()));
    let e = infer.compile().err().unwrap().to_string();
    assert!(
        e.contains("par#4 is linked to par#1") && e.contains("prior"),
        "{e}"
    );
    // the same prior on both is fine
    m1.par("alpha")
        .unwrap()
        .set_prior(Some(Prior::unif(-3.0, 1.0).unwrap()));
    assert_eq!(infer.compile().unwrap().ndim(), 5);
}
