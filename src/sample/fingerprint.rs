//! Fingerprints of a sampling problem: what a saved run was computed from, so that a resume
//! (or a re-read of a finished run) happens only for the same problem.
//!
//! A fingerprint is an ordered list of entries, each a key (`data 'nai' (pair 1)`, `priors`,
//! `sampler`, …), a 64-bit digest of everything that entry covers, and a short human summary
//! for error messages. The inference layer builds the problem's entries from its compiled plan
//! (data on the fit grid, responses, statistics, model expression and configuration, frozen and
//! linked parameters, priors); each sampler adds an entry with the options that change its
//! result. Two fingerprints match when they have the same keys with the same digests.
//!
//! The digest is FNV-1a (64 bit) over the exact bytes of the inputs (floats as their IEEE-754
//! bits), so it is the same on every machine and every Rust version.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One part of a fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintEntry {
    /// What the entry covers (`data 'nai' (pair 1)`, `model (pair 1)`, `priors`, `sampler`).
    pub key: String,
    /// Digest of everything the entry covers (16 hex digits).
    pub digest: String,
    /// A short description for messages (`128 fit bins, 8.05–904.5 keV, pgstat`).
    pub summary: String,
}

/// What a saved run was computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The entries, in a fixed order.
    pub entries: Vec<FingerprintEntry>,
}

impl Fingerprint {
    /// An empty fingerprint.
    pub fn new() -> Self {
        Fingerprint::default()
    }

    /// Append an entry from a finished digest.
    pub fn push(&mut self, key: impl Into<String>, digest: &Digest, summary: impl Into<String>) {
        self.entries.push(FingerprintEntry {
            key: key.into(),
            digest: digest.hex(),
            summary: summary.into(),
        });
    }

    /// This fingerprint with `other`'s entries appended.
    pub fn with(mut self, other: &Fingerprint) -> Self {
        self.entries.extend(other.entries.iter().cloned());
        self
    }

    /// The differences between a saved fingerprint (`self`) and the current one, one line per
    /// entry that was added, removed or changed; empty when they match.
    pub fn differences(&self, current: &Fingerprint) -> Vec<String> {
        let mut out = Vec::new();
        for saved in &self.entries {
            match current.entries.iter().find(|e| e.key == saved.key) {
                None => out.push(format!(
                    "{}: in the saved run ({}), not in this problem",
                    saved.key, saved.summary
                )),
                Some(now) if now.digest != saved.digest => {
                    if now.summary == saved.summary {
                        out.push(format!(
                            "{}: changed (saved and now: {})",
                            saved.key, saved.summary
                        ))
                    } else {
                        out.push(format!(
                            "{}: saved {}; now {}",
                            saved.key, saved.summary, now.summary
                        ))
                    }
                }
                Some(_) => {}
            }
        }
        for now in &current.entries {
            if !self.entries.iter().any(|e| e.key == now.key) {
                out.push(format!(
                    "{}: in this problem ({}), not in the saved run",
                    now.key, now.summary
                ));
            }
        }
        out
    }
}

/// The error for a refused resume of the `sampler` run saved in `dir`, listing the
/// differences (one per line).
pub fn resume_refusal(sampler: &str, dir: &Path, diffs: &[String]) -> Error {
    Error::new(format!(
        "cannot resume the {sampler} run in {}: it was computed for a different problem or \
         different options ({} difference{}):\n  - {}\nuse resume: false to start again (the \
         saved run is then replaced), or another savepath to keep it",
        dir.display(),
        diffs.len(),
        if diffs.len() == 1 { "" } else { "s" },
        diffs.join("\n  - ")
    ))
}

/// FNV-1a, 64 bit: a small, stable digest (the same on every machine and Rust version).
#[derive(Debug, Clone, Copy)]
pub struct Digest(u64);

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

impl Digest {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// A fresh digest.
    pub fn new() -> Self {
        Digest(Self::OFFSET)
    }

    /// Feed raw bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        for &x in b {
            self.0 ^= u64::from(x);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        self
    }

    /// Feed a string (length-prefixed, so that `"ab","c"` and `"a","bc"` differ).
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.u64(s.len() as u64).bytes(s.as_bytes())
    }

    /// Feed an integer.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Feed a float (its exact bits; −0 and 0 differ, every NaN payload is one value).
    pub fn f64(&mut self, v: f64) -> &mut Self {
        let bits = if v.is_nan() {
            f64::NAN.to_bits()
        } else {
            v.to_bits()
        };
        self.u64(bits)
    }

    /// Feed a slice of floats (length-prefixed).
    pub fn f64s(&mut self, v: &[f64]) -> &mut Self {
        self.u64(v.len() as u64);
        for &x in v {
            self.f64(x);
        }
        self
    }

    /// The digest as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(entries: &[(&str, &str)]) -> Fingerprint {
        let mut f = Fingerprint::new();
        for (k, v) in entries {
            let mut d = Digest::new();
            d.str(v);
            f.push(*k, &d, *v);
        }
        f
    }

    #[test]
    fn digest_is_fnv1a() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c (published test vector)
        let mut d = Digest::new();
        d.bytes(b"a");
        assert_eq!(d.hex(), "af63dc4c8601ec8c");
        let mut a = Digest::new();
        a.str("ab").str("c");
        let mut b = Digest::new();
        b.str("a").str("bc");
        assert_ne!(a.hex(), b.hex());
        let mut z = Digest::new();
        z.f64(0.0);
        let mut nz = Digest::new();
        nz.f64(-0.0);
        assert_ne!(z.hex(), nz.hex());
    }

    #[test]
    fn differences_name_every_changed_added_and_removed_entry() {
        let saved = fp(&[("data 'a'", "10 bins"), ("priors", "unif"), ("old", "x")]);
        let now = fp(&[("data 'a'", "12 bins"), ("priors", "unif"), ("new", "y")]);
        let d = saved.differences(&now);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d[0].contains("data 'a'") && d[0].contains("saved 10 bins; now 12 bins"));
        assert!(d[1].contains("old") && d[1].contains("not in this problem"));
        assert!(d[2].contains("new") && d[2].contains("not in the saved run"));
        assert!(saved.differences(&saved).is_empty());
        let msg = resume_refusal("nested-sampling", Path::new("out"), &d).to_string();
        assert!(
            msg.contains("3 differences") && msg.contains("resume: false"),
            "{msg}"
        );
    }
}
