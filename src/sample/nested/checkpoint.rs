//! The resume checkpoint (inference.md 5.1.9): `1-resume.json` (header and exact state, floats
//! stored as IEEE-754 bit patterns so a continuation is bit-identical) plus two append-only
//! binary files with the dead points (`1-resume-dead.bin`) and the evaluated points kept for
//! INS (`1-resume-ins.bin`). The JSON is replaced atomically after the binary files are
//! extended, and records beyond the counts it names are ignored, so an interruption at any
//! moment leaves a consistent checkpoint.

use super::bound::EllipsoidSet;
use super::ellipsoid::Ellipsoid;
use super::ins::Epoch;
use super::state::{Candidate, Settings, State};
use crate::error::{Error, Result};
use crate::sample::files::{json_text, write_text_atomic};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const FORMAT: &str = "bayspec-nested-resume";
const VERSION: u32 = 1;
/// Checkpoint JSON file name.
pub const RESUME_JSON: &str = "1-resume.json";
const DEAD_BIN: &str = "1-resume-dead.bin";
const INS_BIN: &str = "1-resume-ins.bin";

/// Header and exact state of a checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Always `bayspec-nested-resume`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// D.
    pub ndim: usize,
    /// N.
    pub nlive: usize,
    /// Parameter labels.
    pub labels: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// INS on.
    pub ins: bool,
    /// efr.
    pub efficiency: f64,
    /// tol.
    pub evidence_tolerance: f64,
    /// Rebuild interval.
    pub update_interval: u64,
    /// Batch size.
    pub batch_size: u64,
    /// Iterations done.
    pub iteration: u64,
    /// Likelihood calls.
    pub ncall: u64,
    /// ln Z of the dead points (informational; null when −∞).
    pub ln_z: Option<f64>,
    /// `running`, `paused`, `converged` or `max_iter`.
    pub status: String,
    /// Number of dead-point records in the binary file.
    pub n_dead: u64,
    /// Number of INS records in the binary file.
    pub n_ins: u64,
    exact: ExactState,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ExactState {
    ln_z: u64,
    h: u64,
    live_u: Vec<u64>,
    live_theta: Vec<u64>,
    live_logl: Vec<u64>,
    queue_u: Vec<u64>,
    queue_theta: Vec<u64>,
    queue_logl: Vec<u64>,
    queue_epoch: Vec<u32>,
    next_candidate: u64,
    epochs: Vec<EpochBits>,
    current_epoch: usize,
    last_rebuild: u64,
    ln_ratio_at_rebuild: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EpochBits {
    n_eval: u64,
    raw: u64,
    ellipsoids: Option<Vec<EllipsoidBits>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EllipsoidBits {
    center: Vec<u64>,
    shape: Vec<u64>,
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn floats(v: &[u64]) -> Vec<f64> {
    v.iter().map(|&x| f64::from_bits(x)).collect()
}

/// Writes checkpoints into a directory, appending to the binary files.
#[derive(Debug)]
pub struct Checkpointer {
    dir: PathBuf,
    dead_written: usize,
    ins_written: usize,
}

impl Checkpointer {
    /// Start a fresh run in `dir`: remove any previous checkpoint files.
    pub fn fresh(dir: &Path) -> Result<Self> {
        for f in [RESUME_JSON, DEAD_BIN, INS_BIN] {
            let p = dir.join(f);
            if p.exists() {
                std::fs::remove_file(&p)
                    .map_err(|e| Error::new(format!("cannot remove {}: {e}", p.display())))?;
            }
        }
        Ok(Checkpointer {
            dir: dir.to_path_buf(),
            dead_written: 0,
            ins_written: 0,
        })
    }

    /// Save the state (status: `running`, `paused`, `converged`, `max_iter`).
    pub fn save(
        &mut self,
        st: &State,
        labels: &[String],
        s: &Settings,
        status: &str,
    ) -> Result<()> {
        let d = st.d;
        let mut dead = Vec::new();
        for k in self.dead_written..st.dead_logl.len() {
            dead.extend_from_slice(&st.dead_theta[k * d..(k + 1) * d]);
            dead.push(st.dead_logl[k]);
            dead.push(st.dead_logw[k]);
        }
        append_f64(&self.dir.join(DEAD_BIN), &dead)?;
        let mut ins = Vec::new();
        for k in self.ins_written..st.ins_logl.len() {
            ins.extend_from_slice(&st.ins_u[k * d..(k + 1) * d]);
            ins.push(st.ins_logl[k]);
            ins.push(f64::from(st.ins_epoch[k]));
        }
        append_f64(&self.dir.join(INS_BIN), &ins)?;
        self.dead_written = st.dead_logl.len();
        self.ins_written = st.ins_logl.len();

        let mut queue_u = Vec::new();
        let mut queue_theta = Vec::new();
        let mut queue_logl = Vec::new();
        let mut queue_epoch = Vec::new();
        for (c, e) in &st.queue {
            queue_u.extend(bits(&c.u));
            queue_theta.extend(bits(&c.theta));
            queue_logl.push(c.logl.to_bits());
            queue_epoch.push(*e);
        }
        let epochs = st
            .epochs
            .iter()
            .map(|ep| EpochBits {
                n_eval: ep.n_eval,
                raw: ep.raw,
                ellipsoids: ep.region.as_ref().map(|set| {
                    set.ells
                        .iter()
                        .map(|e| EllipsoidBits {
                            center: bits(&e.center),
                            shape: bits(&e.shape),
                        })
                        .collect()
                }),
            })
            .collect();
        let cp = Checkpoint {
            format: FORMAT.into(),
            version: VERSION,
            ndim: d,
            nlive: st.n,
            labels: labels.to_vec(),
            seed: st.seed,
            ins: st.ins,
            efficiency: s.efficiency,
            evidence_tolerance: s.evidence_tolerance,
            update_interval: s.update_interval,
            batch_size: s.batch_size,
            iteration: st.iter,
            ncall: st.ncall,
            ln_z: st.ln_z.is_finite().then_some(st.ln_z),
            status: status.into(),
            n_dead: self.dead_written as u64,
            n_ins: self.ins_written as u64,
            exact: ExactState {
                ln_z: st.ln_z.to_bits(),
                h: st.h.to_bits(),
                live_u: bits(&st.live_u),
                live_theta: bits(&st.live_theta),
                live_logl: bits(&st.live_logl),
                queue_u,
                queue_theta,
                queue_logl,
                queue_epoch,
                next_candidate: st.next_candidate,
                epochs,
                current_epoch: st.current_epoch,
                last_rebuild: st.last_rebuild,
                ln_ratio_at_rebuild: st.ln_ratio_at_rebuild.to_bits(),
            },
        };
        write_text_atomic(&self.dir.join(RESUME_JSON), &json_text(&cp)?)
    }

    /// Load the checkpoint of `dir`, if any: header, state and a writer positioned after the
    /// records the checkpoint counts.
    pub fn load(dir: &Path) -> Result<Option<(Checkpoint, State, Settings, Checkpointer)>> {
        let path = dir.join(RESUME_JSON);
        if !path.exists() {
            return Ok(None);
        }
        let ctx = |m: String| Error::new(format!("resume file {}: {m}", path.display()));
        let text = crate::sample::files::read_text(&path)?;
        let cp: Checkpoint = serde_json::from_str(&text).map_err(|e| ctx(e.to_string()))?;
        if cp.format != FORMAT || cp.version != VERSION {
            return Err(ctx(format!(
                "unknown format {} version {}",
                cp.format, cp.version
            )));
        }
        let d = cp.ndim;
        let n = cp.nlive;
        let x = &cp.exact;
        let rec = d + 2;
        let dead = read_f64(&dir.join(DEAD_BIN), cp.n_dead as usize * rec)?;
        let ins = read_f64(&dir.join(INS_BIN), cp.n_ins as usize * rec)?;
        let mut st = State {
            d,
            n,
            seed: cp.seed,
            ins: cp.ins,
            live_u: floats(&x.live_u),
            live_theta: floats(&x.live_theta),
            live_logl: floats(&x.live_logl),
            iter: cp.iteration,
            ncall: cp.ncall,
            ln_z: f64::from_bits(x.ln_z),
            h: f64::from_bits(x.h),
            dead_theta: Vec::with_capacity(cp.n_dead as usize * d),
            dead_logl: Vec::with_capacity(cp.n_dead as usize),
            dead_logw: Vec::with_capacity(cp.n_dead as usize),
            queue: VecDeque::new(),
            next_candidate: x.next_candidate,
            epochs: Vec::new(),
            current_epoch: x.current_epoch,
            last_rebuild: x.last_rebuild,
            ln_ratio_at_rebuild: f64::from_bits(x.ln_ratio_at_rebuild),
            ins_u: Vec::with_capacity(cp.n_ins as usize * d),
            ins_logl: Vec::with_capacity(cp.n_ins as usize),
            ins_epoch: Vec::with_capacity(cp.n_ins as usize),
        };
        if st.live_u.len() != n * d || st.live_theta.len() != n * d || st.live_logl.len() != n {
            return Err(ctx("live points do not match ndim/nlive".into()));
        }
        for r in dead.chunks(rec) {
            st.dead_theta.extend_from_slice(&r[..d]);
            st.dead_logl.push(r[d]);
            st.dead_logw.push(r[d + 1]);
        }
        for r in ins.chunks(rec) {
            st.ins_u.extend_from_slice(&r[..d]);
            st.ins_logl.push(r[d]);
            st.ins_epoch.push(r[d + 1] as u32);
        }
        let nq = x.queue_logl.len();
        if x.queue_u.len() != nq * d || x.queue_theta.len() != nq * d || x.queue_epoch.len() != nq {
            return Err(ctx("queue does not match ndim".into()));
        }
        for k in 0..nq {
            st.queue.push_back((
                Candidate {
                    u: floats(&x.queue_u[k * d..(k + 1) * d]),
                    theta: floats(&x.queue_theta[k * d..(k + 1) * d]),
                    logl: f64::from_bits(x.queue_logl[k]),
                },
                x.queue_epoch[k],
            ));
        }
        for ep in &x.epochs {
            let region = match &ep.ellipsoids {
                None => None,
                Some(list) => {
                    let ells = list
                        .iter()
                        .map(|e| Ellipsoid::from_shape(floats(&e.center), floats(&e.shape)))
                        .collect::<Result<Vec<_>>>()
                        .map_err(|e| ctx(e.to_string()))?;
                    Some(EllipsoidSet::new(ells)?)
                }
            };
            st.epochs.push(Epoch {
                region,
                n_eval: ep.n_eval,
                raw: ep.raw,
            });
        }
        if st.epochs.is_empty() || st.current_epoch >= st.epochs.len() {
            return Err(ctx("bad epoch list".into()));
        }
        let settings = Settings {
            efficiency: cp.efficiency,
            evidence_tolerance: cp.evidence_tolerance,
            update_interval: cp.update_interval,
            batch_size: cp.batch_size,
            max_iter: u64::MAX,
        };
        let writer = Checkpointer {
            dir: dir.to_path_buf(),
            dead_written: cp.n_dead as usize,
            ins_written: cp.n_ins as usize,
        };
        // Drop records written after the checkpoint (interrupted between append and rename).
        truncate(&dir.join(DEAD_BIN), cp.n_dead * rec as u64 * 8)?;
        truncate(&dir.join(INS_BIN), cp.n_ins * rec as u64 * 8)?;
        Ok(Some((cp, st, settings, writer)))
    }
}

fn append_f64(path: &Path, v: &[f64]) -> Result<()> {
    let mut bytes = Vec::with_capacity(v.len() * 8);
    for x in v {
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::new(format!("cannot open {}: {e}", path.display())))?;
    f.write_all(&bytes)
        .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))
}

fn read_f64(path: &Path, count: usize) -> Result<Vec<f64>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let mut f = std::fs::File::open(path)
        .map_err(|e| Error::new(format!("cannot open {}: {e}", path.display())))?;
    let mut bytes = vec![0u8; count * 8];
    f.read_exact(&mut bytes).map_err(|e| {
        Error::new(format!(
            "{} is shorter than its checkpoint says: {e}",
            path.display()
        ))
    })?;
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

fn truncate(path: &Path, len: u64) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::new(format!("cannot open {}: {e}", path.display())))?;
    f.set_len(len)
        .map_err(|e| Error::new(format!("cannot truncate {}: {e}", path.display())))
}
