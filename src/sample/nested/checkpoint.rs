//! The resume checkpoint of a nested-sampling run.
//!
//! A checkpoint writes only what is new since the previous one:
//! - `1-resume.bin`, replaced atomically: a JSON header (format, dimensions, labels, the
//!   run's settings, the problem's [`Fingerprint`], counts of the records below) followed by the
//!   exact state in binary (live points, queued candidates, the scalars of the Z/H recursion,
//!   the epoch counters; floats as IEEE-754 bits, so a continuation is bit-identical);
//! - `1-resume-dead.bin`, `1-resume-ins.bin`, `1-resume-epochs.bin`: append-only records of the
//!   dead points, the points kept for importance nested sampling, and the bounding ellipsoids of
//!   every epoch. Records beyond the counts the header names are dropped on load, so an
//!   interruption at any moment leaves a consistent checkpoint;
//! - `1-resume.json`: a readable copy of the header (not read back).
//!
//! A checkpoint costs O(nlive · D) for the replaced part plus the new records, and the run
//! writes one every `checkpoint_interval` iterations (default: max(100, nlive)), so the total
//! cost grows linearly with nlive. Checkpoints are not flushed to disk (a flush costs
//! milliseconds): they survive a killed process, not necessarily an operating-system crash,
//! after which the counts in the header no longer match the files and the loader says so.

use super::bound::EllipsoidSet;
use super::ellipsoid::Ellipsoid;
use super::ins::Epoch;
use super::state::{Candidate, Settings, State};
use crate::error::{Error, Result};
use crate::sample::files::{json_text, write_atomic_unflushed};
use crate::sample::Fingerprint;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const FORMAT: &str = "bayspec-nested-resume";
const VERSION: u32 = 2;
const MAGIC: &[u8; 8] = b"BSNSRES2";
/// The checkpoint file (header + exact state).
pub const RESUME_BIN: &str = "1-resume.bin";
/// A readable copy of the checkpoint's header.
pub const RESUME_JSON: &str = "1-resume.json";
const DEAD_BIN: &str = "1-resume-dead.bin";
const INS_BIN: &str = "1-resume-ins.bin";
const EPOCHS_BIN: &str = "1-resume-epochs.bin";

/// Header of a checkpoint.
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
    /// Number of dead-point records.
    pub n_dead: u64,
    /// Number of INS records.
    pub n_ins: u64,
    /// Number of epochs recorded in the epochs file.
    pub n_epochs: u64,
    /// Valid length of the epochs file in bytes.
    pub epochs_bytes: u64,
    /// What the run was computed from (problem and sampler options).
    pub fingerprint: Fingerprint,
}

/// Little-endian binary writer.
#[derive(Default)]
struct Out(Vec<u8>);

impl Out {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn f64s(&mut self, v: &[f64]) {
        for &x in v {
            self.f64(x);
        }
    }
}

/// Little-endian binary reader with errors naming the file.
struct In<'a> {
    b: &'a [u8],
    at: usize,
    what: &'a Path,
}

impl In<'_> {
    fn u64(&mut self) -> Result<u64> {
        let end = self.at + 8;
        if end > self.b.len() {
            return Err(Error::new(format!(
                "resume file {} is truncated",
                self.what.display()
            )));
        }
        let mut a = [0u8; 8];
        a.copy_from_slice(&self.b[self.at..end]);
        self.at = end;
        Ok(u64::from_le_bytes(a))
    }
    fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    fn f64s(&mut self, n: usize) -> Result<Vec<f64>> {
        if self.at + n * 8 > self.b.len() {
            return Err(Error::new(format!(
                "resume file {} is truncated",
                self.what.display()
            )));
        }
        (0..n).map(|_| self.f64()).collect()
    }
    fn count(&mut self, limit: usize) -> Result<usize> {
        let v = self.u64()?;
        if v as usize > limit {
            return Err(Error::new(format!(
                "resume file {} is corrupt (count {v})",
                self.what.display()
            )));
        }
        Ok(v as usize)
    }
}

/// Writes checkpoints into a directory, appending to the record files.
#[derive(Debug)]
pub struct Checkpointer {
    dir: PathBuf,
    dead_written: usize,
    ins_written: usize,
    epochs_written: usize,
    epochs_bytes: u64,
    fingerprint: Fingerprint,
}

impl Checkpointer {
    /// Start a fresh run in `dir` for the problem `fingerprint`: remove any previous
    /// checkpoint files.
    pub fn fresh(dir: &Path, fingerprint: Fingerprint) -> Result<Self> {
        for f in [RESUME_BIN, RESUME_JSON, DEAD_BIN, INS_BIN, EPOCHS_BIN] {
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
            epochs_written: 0,
            epochs_bytes: 0,
            fingerprint,
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
        let mut dead = Out::default();
        for k in self.dead_written..st.dead_logl.len() {
            dead.f64s(&st.dead_theta[k * d..(k + 1) * d]);
            dead.f64(st.dead_logl[k]);
            dead.f64(st.dead_logw[k]);
        }
        append(&self.dir.join(DEAD_BIN), &dead.0)?;
        let mut ins = Out::default();
        for k in self.ins_written..st.ins_logl.len() {
            ins.f64s(&st.ins_u[k * d..(k + 1) * d]);
            ins.f64(st.ins_logl[k]);
            ins.f64(f64::from(st.ins_epoch[k]));
        }
        append(&self.dir.join(INS_BIN), &ins.0)?;
        let mut ep = Out::default();
        for e in &st.epochs[self.epochs_written..] {
            match &e.region {
                None => ep.u64(0),
                Some(set) => {
                    ep.u64(set.ells.len() as u64);
                    for el in &set.ells {
                        ep.f64s(&el.center);
                        ep.f64s(&el.shape);
                    }
                }
            }
        }
        append(&self.dir.join(EPOCHS_BIN), &ep.0)?;
        self.dead_written = st.dead_logl.len();
        self.ins_written = st.ins_logl.len();
        self.epochs_written = st.epochs.len();
        self.epochs_bytes += ep.0.len() as u64;

        let header = Checkpoint {
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
            n_epochs: self.epochs_written as u64,
            epochs_bytes: self.epochs_bytes,
            fingerprint: self.fingerprint.clone(),
        };
        let json = json_text(&header)?;
        let mut o = Out::default();
        o.0.extend_from_slice(MAGIC);
        o.u64(json.len() as u64);
        o.0.extend_from_slice(json.as_bytes());
        o.f64(st.ln_z);
        o.f64(st.h);
        o.f64s(&st.live_u);
        o.f64s(&st.live_theta);
        o.f64s(&st.live_logl);
        o.u64(st.queue.len() as u64);
        for (c, e) in &st.queue {
            o.f64s(&c.u);
            o.f64s(&c.theta);
            o.f64(c.logl);
            o.u64(u64::from(*e));
        }
        o.u64(st.next_candidate);
        o.u64(st.current_epoch as u64);
        o.u64(st.last_rebuild);
        o.f64(st.ln_ratio_at_rebuild);
        o.u64(st.epochs.len() as u64);
        for e in &st.epochs {
            o.u64(e.n_eval);
            o.u64(e.raw);
        }
        write_atomic_unflushed(&self.dir.join(RESUME_BIN), &o.0)?;
        write_atomic_unflushed(&self.dir.join(RESUME_JSON), json.as_bytes())
    }

    /// Load the checkpoint of `dir`, if any: header, state and a writer positioned after the
    /// records the checkpoint counts (the fingerprint is the header's; the caller compares it
    /// with the current problem's before continuing).
    pub fn load(dir: &Path) -> Result<Option<(Checkpoint, State, Settings, Checkpointer)>> {
        let path = dir.join(RESUME_BIN);
        if !path.exists() {
            if dir.join(RESUME_JSON).exists() {
                return Err(Error::new(format!(
                    "{} holds a nested-sampling checkpoint of an older bayspec version, which \
                     this version cannot check against the problem; use resume: false (the old \
                     run is then replaced) or another savepath",
                    dir.display()
                )));
            }
            return Ok(None);
        }
        let ctx = |m: String| Error::new(format!("resume file {}: {m}", path.display()));
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(ctx("not a bayspec nested-sampling checkpoint".into()));
        }
        let mut r = In {
            b: &bytes,
            at: 8,
            what: &path,
        };
        let hlen = r.count(bytes.len())?;
        let hend = r.at + hlen;
        if hend > bytes.len() {
            return Err(ctx("truncated header".into()));
        }
        let text = std::str::from_utf8(&bytes[r.at..hend]).map_err(|e| ctx(e.to_string()))?;
        let cp: Checkpoint = serde_json::from_str(text).map_err(|e| ctx(e.to_string()))?;
        r.at = hend;
        if cp.format != FORMAT || cp.version != VERSION {
            return Err(ctx(format!(
                "unknown format {} version {}",
                cp.format, cp.version
            )));
        }
        let d = cp.ndim;
        let n = cp.nlive;
        if d == 0 || n == 0 {
            return Err(ctx("no parameters or live points".into()));
        }
        let ln_z = r.f64()?;
        let h = r.f64()?;
        let live_u = r.f64s(n * d)?;
        let live_theta = r.f64s(n * d)?;
        let live_logl = r.f64s(n)?;
        let nq = r.count(bytes.len() / 8)?;
        let mut queue = VecDeque::with_capacity(nq);
        for _ in 0..nq {
            let u = r.f64s(d)?;
            let theta = r.f64s(d)?;
            let logl = r.f64()?;
            let e = r.u64()? as u32;
            queue.push_back((Candidate { u, theta, logl }, e));
        }
        let next_candidate = r.u64()?;
        let current_epoch = r.u64()? as usize;
        let last_rebuild = r.u64()?;
        let ln_ratio_at_rebuild = r.f64()?;
        let n_epochs = r.count(bytes.len() / 8)?;
        if n_epochs as u64 != cp.n_epochs || n_epochs == 0 || current_epoch >= n_epochs {
            return Err(ctx("bad epoch list".into()));
        }
        let mut counters = Vec::with_capacity(n_epochs);
        for _ in 0..n_epochs {
            counters.push((r.u64()?, r.u64()?));
        }

        let rec = d + 2;
        let dead = read_prefix(&dir.join(DEAD_BIN), cp.n_dead * rec as u64 * 8)?;
        let ins = read_prefix(&dir.join(INS_BIN), cp.n_ins * rec as u64 * 8)?;
        let epoch_bytes = read_prefix(&dir.join(EPOCHS_BIN), cp.epochs_bytes)?;
        let epochs_path = dir.join(EPOCHS_BIN);
        let mut er = In {
            b: &epoch_bytes,
            at: 0,
            what: &epochs_path,
        };
        let mut epochs = Vec::with_capacity(n_epochs);
        for (n_eval, raw) in counters {
            let k = er.count(epoch_bytes.len() / 8)?;
            let region = if k == 0 {
                None
            } else {
                let mut ells = Vec::with_capacity(k);
                for _ in 0..k {
                    let center = er.f64s(d)?;
                    let shape = er.f64s(d * d)?;
                    ells.push(
                        Ellipsoid::from_shape(center, shape).map_err(|e| ctx(e.to_string()))?,
                    );
                }
                Some(EllipsoidSet::new(ells)?)
            };
            epochs.push(Epoch {
                region,
                n_eval,
                raw,
            });
        }
        let mut st = State {
            d,
            n,
            seed: cp.seed,
            ins: cp.ins,
            live_u,
            live_theta,
            live_logl,
            iter: cp.iteration,
            ncall: cp.ncall,
            ln_z,
            h,
            dead_theta: Vec::with_capacity(cp.n_dead as usize * d),
            dead_logl: Vec::with_capacity(cp.n_dead as usize),
            dead_logw: Vec::with_capacity(cp.n_dead as usize),
            queue,
            next_candidate,
            epochs,
            current_epoch,
            last_rebuild,
            ln_ratio_at_rebuild,
            ins_u: Vec::with_capacity(cp.n_ins as usize * d),
            ins_logl: Vec::with_capacity(cp.n_ins as usize),
            ins_epoch: Vec::with_capacity(cp.n_ins as usize),
            live_index: Default::default(),
        };
        st.reindex();
        for r in floats(&dead).chunks(rec) {
            st.dead_theta.extend_from_slice(&r[..d]);
            st.dead_logl.push(r[d]);
            st.dead_logw.push(r[d + 1]);
        }
        for r in floats(&ins).chunks(rec) {
            st.ins_u.extend_from_slice(&r[..d]);
            st.ins_logl.push(r[d]);
            st.ins_epoch.push(r[d + 1] as u32);
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
            epochs_written: n_epochs,
            epochs_bytes: cp.epochs_bytes,
            fingerprint: cp.fingerprint.clone(),
        };
        Ok(Some((cp, st, settings, writer)))
    }

    /// Drop records written after the checkpoint (an interruption between an append and the
    /// header's replacement); call before continuing a loaded run.
    pub fn truncate_to_checkpoint(&self, d: usize) -> Result<()> {
        let rec = (d + 2) as u64 * 8;
        truncate(&self.dir.join(DEAD_BIN), self.dead_written as u64 * rec)?;
        truncate(&self.dir.join(INS_BIN), self.ins_written as u64 * rec)?;
        truncate(&self.dir.join(EPOCHS_BIN), self.epochs_bytes)
    }
}

fn floats(bytes: &[u8]) -> Vec<f64> {
    bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

fn append(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::new(format!("cannot open {}: {e}", path.display())))?;
    f.write_all(bytes)
        .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))
}

/// The first `len` bytes of `path` (an error when the file is shorter).
fn read_prefix(path: &Path, len: u64) -> Result<Vec<u8>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    let mut f = std::fs::File::open(path)
        .map_err(|e| Error::new(format!("cannot open {}: {e}", path.display())))?;
    let mut bytes = vec![0u8; len as usize];
    f.read_exact(&mut bytes).map_err(|e| {
        Error::new(format!(
            "{} is shorter than its checkpoint says: {e}",
            path.display()
        ))
    })?;
    Ok(bytes)
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
