//! Model algebra: kind rules at construction, names and numbering, duplicates, sharing, lookup
//! (models.md 2).

use bayspec::model::{result_kind, Component, Kind, Model, Op};

fn b(name: &str) -> Model {
    Model::builtin(name).unwrap()
}

fn comb(l: &Model, op: Op, r: &Model) -> Model {
    Model::combine(l, op, r).unwrap()
}

/// The table of models.md 2.2, row by row: (left, op, right) → Some(kind) or None (rejected).
#[test]
fn kind_table_matches_spec() {
    use Kind::*;
    let kinds = [Add, Mul, Math, Conv];
    // rows: left kind; columns: right kind add, mul, math, conv
    let plus = [
        [Some(Add), None, Some(Add), None],
        [None, Some(Mul), Some(Mul), None],
        [Some(Add), Some(Mul), Some(Math), None],
        [None, None, None, None],
    ];
    let times = [
        [None, Some(Add), Some(Add), None],
        [Some(Add), Some(Mul), Some(Mul), None],
        [Some(Add), Some(Mul), Some(Math), None],
        [None, None, None, None],
    ];
    let over = [
        [None, Some(Add), Some(Add), None],
        [None, Some(Mul), Some(Mul), None],
        [None, Some(Mul), Some(Math), None],
        [None, None, None, None],
    ];
    for (op, table) in [
        (Op::Add, plus),
        (Op::Sub, plus),
        (Op::Mul, times),
        (Op::Div, over),
    ] {
        for (i, l) in kinds.iter().enumerate() {
            for (j, r) in kinds.iter().enumerate() {
                match (result_kind(*l, op, *r), table[i][j]) {
                    (Ok(k), Some(w)) => assert_eq!(k, w, "{l} {op} {r}"),
                    (Err(e), None) => {
                        let msg = e.to_string();
                        assert!(msg.contains(l.name()) && msg.contains(r.name()), "{msg}");
                        assert!(msg.contains(op.symbol()), "{msg}");
                    }
                    (got, want) => panic!("{l} {op} {r}: got {got:?}, want {want:?}"),
                }
            }
        }
    }
}

#[test]
fn invalid_combinations_fail_at_construction_naming_kinds() {
    let cases = [
        (b("cpl"), Op::Mul, b("bb")),
        (b("cpl"), Op::Div, b("bb")),
        (b("tbabs"), Op::Div, b("cpl")),
        (b("const"), Op::Div, b("cpl")),
        (b("cpl"), Op::Add, b("tbabs")),
        (b("tbabs"), Op::Sub, b("cpl")),
    ];
    for (l, op, r) in cases {
        let err = Model::combine(&l, op, &r).unwrap_err().to_string();
        assert!(
            err.contains(l.kind().name()) && err.contains(r.kind().name()),
            "{err}"
        );
        assert!(err.contains("unsupported"), "{err}");
    }
    // 1 / cpl and cpl / cpl via numbers
    assert!(Model::num_combine(1.0, Op::Div, &b("cpl")).is_err());
    // the check applies inside bigger expressions too
    let good = comb(&b("tbabs"), Op::Mul, &b("cpl"));
    assert!(Model::combine(&good, Op::Mul, &b("bb")).is_err());
}

#[test]
fn allowed_combinations_have_the_spec_kinds() {
    assert_eq!(comb(&b("const"), Op::Sub, &b("cpl")).kind(), Kind::Add);
    assert_eq!(
        Model::num_combine(2.0, Op::Div, &b("tbabs"))
            .unwrap()
            .kind(),
        Kind::Mul
    );
    assert_eq!(
        Model::num_combine(1.0, Op::Sub, &b("hecut"))
            .unwrap()
            .kind(),
        Kind::Mul
    );
    assert_eq!(comb(&b("tbabs"), Op::Mul, &b("hecut")).kind(), Kind::Mul);
    assert_eq!(comb(&b("const"), Op::Add, &b("const")).kind(), Kind::Math);
    assert_eq!(comb(&b("cpl"), Op::Div, &b("tbabs")).kind(), Kind::Add);
}

#[test]
fn names_follow_precedence_and_numbering_is_one_based() {
    // tbabs * ztbabs * (cpl + csbpl) with a user-renamed second absorber
    let z = Component::builtin("tbabs").unwrap();
    z.set_expr("ztbabs").unwrap();
    let m = comb(
        &comb(&b("tbabs"), Op::Mul, &Model::from_component(&z)),
        Op::Mul,
        &comb(&b("cpl"), Op::Add, &b("csbpl")),
    );
    assert_eq!(m.expr(), "((tbabs*ztbabs)*(cpl+csbpl))");
    assert_eq!(m.kind(), Kind::Add);
    let pars = m.params();
    assert_eq!(pars.len(), 1 + 1 + 3 + 5);
    assert_eq!(pars[0].index, 1);
    assert_eq!(
        (pars[1].component.as_str(), pars[1].par.label().as_str()),
        ("ztbabs", "$N_H$")
    );
    assert_eq!(
        (pars[2].component.as_str(), pars[2].par.plain().as_str()),
        ("cpl", "alpha")
    );
    let cfgs = m.configs();
    assert_eq!(cfgs.len(), 1 + 1 + 3 + 4);
    assert_eq!(
        (cfgs[3].index, cfgs[3].cfg.label().as_str()),
        (4, "pivot_energy")
    );
    // by index, by index text, by label
    assert!(m.par(3).unwrap().same(&pars[2].par));
    assert!(m.par("3").unwrap().same(&pars[2].par));
    assert!(m.par("ztbabs.N_H").unwrap().same(&pars[1].par));
    assert!(m.cfg(2).unwrap().same(&cfgs[1].cfg));
    let err = m.par(11).unwrap_err().to_string();
    assert!(err.contains("par#11") || err.contains("11"), "{err}");
    assert!(m.par(0).is_err());
}

#[test]
fn tbabs_times_cpl_numbering_matches_spec_example() {
    let m = comb(&b("tbabs"), Op::Mul, &b("cpl"));
    let labels: Vec<(String, String)> = m
        .params()
        .into_iter()
        .map(|e| (e.component, e.par.label()))
        .collect();
    let want = [
        ("tbabs", "$N_H$"),
        ("cpl", "$\\alpha$"),
        ("cpl", "log$E_p$"),
        ("cpl", "log$A$"),
    ];
    assert_eq!(labels.len(), 4);
    for (g, w) in labels.iter().zip(want) {
        assert_eq!((g.0.as_str(), g.1.as_str()), w);
    }
    let cfg: Vec<String> = m
        .configs()
        .into_iter()
        .map(|e| format!("{}.{}", e.component, e.cfg.label()))
        .collect();
    assert_eq!(
        cfg,
        [
            "tbabs.redshift",
            "cpl.redshift",
            "cpl.pivot_energy",
            "cpl.vfv_peak"
        ]
    );
}

#[test]
fn duplicate_names_get_first_free_suffix_without_renaming_the_object() {
    let b1 = Component::builtin("bb").unwrap();
    let b2 = Component::builtin("bb").unwrap();
    let b3 = Component::builtin("bb").unwrap();
    let m = comb(
        &comb(&b1.clone().into(), Op::Add, &b2.clone().into()),
        Op::Add,
        &b3.clone().into(),
    );
    assert_eq!(m.expr(), "((bb+bb_2)+bb_3)");
    // the user's objects keep their names
    assert_eq!(b2.expr(), "bb");
    assert_eq!(b3.expr(), "bb");
    let comps: Vec<String> = m.components().into_iter().map(|(n, _)| n).collect();
    assert_eq!(comps, ["bb", "bb_2", "bb_3"]);
    assert!(m.component("bb_3").unwrap().same(&b3));
    // right-nested: bb + (bb + bb_2): the right operand's bb takes the first name used by
    // neither operand (bb_3); its bb_2 keeps its name
    let n = comb(&b("bb"), Op::Add, &comb(&b("bb"), Op::Add, &b("bb")));
    assert_eq!(n.expr(), "(bb+(bb_3+bb_2))");
    // (bb + bb) + (bb + bb): first free suffix not used by either operand
    let q = comb(
        &comb(&b("bb"), Op::Add, &b("bb")),
        Op::Add,
        &comb(&b("bb"), Op::Add, &b("bb")),
    );
    let names: Vec<String> = q.components().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 4);
    let mut uniq = names.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), 4, "{names:?}");
    assert_eq!(&names[..3], ["bb", "bb_2", "bb_3"]);
}

#[test]
fn same_handle_twice_shares_parameters_and_is_listed_once() {
    let c = Component::builtin("cpl").unwrap();
    let m = comb(&c.clone().into(), Op::Add, &c.clone().into());
    assert_eq!(m.expr(), "(cpl+cpl)");
    assert_eq!(m.npar(), 3);
    let e = [1.0, 10.0, 100.0, 1000.0];
    let single = Model::from_component(&c).phtspec(&e, None).unwrap();
    let double = m.phtspec(&e, None).unwrap();
    for (s, d) in single.iter().zip(&double) {
        assert_eq!(2.0 * s, *d);
    }
    // changing the component changes every model containing it
    let other = comb(&b("tbabs"), Op::Mul, &c.clone().into());
    c.par("logA").unwrap().set_val(1.0);
    assert_eq!(m.par("logA").unwrap().val(), 1.0);
    assert_eq!(other.par("cpl.logA").unwrap().val(), 1.0);
    let after = m.phtspec(&e, None).unwrap();
    for (a, d) in after.iter().zip(&double) {
        assert!((a / d - 10.0).abs() < 1e-12);
    }
}

#[test]
fn plain_label_lookup_is_unambiguous_or_errors() {
    let m = comb(&b("cpl"), Op::Add, &b("bb"));
    assert_eq!(m.par("alpha").unwrap().label(), "$\\alpha$");
    assert_eq!(m.par("$\\alpha$").unwrap().label(), "$\\alpha$");
    assert_eq!(m.par("logE_p").unwrap().label(), "log$E_p$");
    assert_eq!(m.par("logEp").unwrap().label(), "log$E_p$");
    let err = m.par("logA").unwrap_err().to_string();
    assert!(
        err.contains("ambiguous") && err.contains("par#3") && err.contains("par#5"),
        "{err}"
    );
    assert!(m.par("bb.logA").unwrap().same(&m.par(5).unwrap()));
    assert!(m.par("cpl.logA").unwrap().same(&m.par(3).unwrap()));
    let err = m.par("gamma").unwrap_err().to_string();
    assert!(
        err.contains("alpha") && err.contains("logkT"),
        "unknown label lists labels: {err}"
    );
    let two = comb(&b("bb"), Op::Add, &b("bb"));
    assert!(two.par("bb_2.logkT").unwrap().same(&two.par(3).unwrap()));
    assert!(two.par("logkT").is_err());
    // configuration lookup
    assert_eq!(m.cfg("vfv_peak").unwrap().label(), "vfv_peak");
    assert!(m.cfg("redshift").is_err());
    assert!(m.cfg("bb.redshift").unwrap().same(&m.cfg(4).unwrap()));
}

#[test]
fn numeric_literals_become_frozen_constants_with_reference_order() {
    let m = Model::num_combine(2.0, Op::Mul, &b("cpl")).unwrap();
    assert_eq!(m.expr(), "(cpl*const)");
    let c = m.par(4).unwrap();
    assert!(c.frozen() && c.prior().is_none() && c.val() == 2.0);
    assert_eq!(
        Model::num_combine(2.0, Op::Add, &b("cpl")).unwrap().expr(),
        "(cpl+const)"
    );
    assert_eq!(
        Model::num_combine(2.0, Op::Sub, &b("cpl")).unwrap().expr(),
        "(const-cpl)"
    );
    assert_eq!(
        Model::num_combine(2.0, Op::Div, &b("tbabs"))
            .unwrap()
            .expr(),
        "(const/tbabs)"
    );
    assert_eq!(
        Model::combine_num(&b("cpl"), Op::Div, 2.0).unwrap().expr(),
        "(cpl/const)"
    );
    assert!(Model::combine_num(&b("cpl"), Op::Mul, f64::NAN).is_err());
    assert!(Model::combine_num(&b("cpl"), Op::Mul, f64::INFINITY).is_err());
    // two literal constants are distinct objects → const, const_2
    let k = Model::combine_num(
        &Model::combine_num(&b("cpl"), Op::Mul, 2.0).unwrap(),
        Op::Add,
        1.0,
    )
    .unwrap();
    assert_eq!(k.expr(), "((cpl*const)+const_2)");
    assert_eq!(k.par("const_2.C").unwrap().val(), 1.0);
    assert_eq!(k.par("const.C").unwrap().val(), 2.0);
    let e = [10.0, 100.0];
    let base = b("cpl").phtspec(&e, None).unwrap();
    let got = k.phtspec(&e, None).unwrap();
    for (g, x) in got.iter().zip(&base) {
        assert_eq!(*g, 2.0 * x + 1.0);
    }
}

#[test]
fn model_display_lists_expression_and_tables() {
    let m = comb(&b("tbabs"), Op::Mul, &b("cpl"));
    m.par(1).unwrap().frozen_at(0.1);
    let s = m.to_string();
    assert!(s.contains("(tbabs*cpl) [add]"), "{s}");
    assert!(
        s.contains("par#") && s.contains("cfg#") && s.contains("frozen"),
        "{s}"
    );
    // printed tables show the plain name a script types; LaTeX stays in plots and JSON
    assert!(s.contains("unif(-2, 2)") && s.contains("logE_p"), "{s}");
    assert!(!s.contains('$'), "{s}");
    assert!(s.contains("tbabs: Tuebingen-Boulder"), "{s}");
}

#[test]
fn save_writes_reference_table_files() {
    let m = Model::num_combine(2.0, Op::Mul, &b("cpl")).unwrap();
    m.par("alpha").unwrap().set_val(-1.25);
    let dir = std::env::temp_dir().join(format!("bayspec_model_save_{}", std::process::id()));
    m.save(&dir).unwrap();
    let par: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("model_par.json")).unwrap())
            .unwrap();
    let rows = par.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["par#"], "1");
    assert_eq!(rows[0]["Component"], "cpl");
    assert_eq!(rows[0]["Parameter"], "$\\alpha$");
    assert_eq!(rows[0]["Value"], -1.25);
    assert_eq!(rows[0]["Prior"], "unif(-2, 2)");
    assert_eq!(rows[3]["Prior"], "frozen");
    let cfg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("model_cfg.json")).unwrap())
            .unwrap();
    assert_eq!(cfg.as_array().unwrap().len(), 3);
    assert_eq!(cfg[2]["cfg#"], "3");
    assert_eq!(cfg[2]["Parameter"], "vfv_peak");
    assert_eq!(cfg[2]["Value"], true);
    std::fs::remove_dir_all(&dir).unwrap();
}
