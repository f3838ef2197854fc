//! `DataUnit`: one observation (spectrum, background, response, noticing, statistic, grids,
//! nuisance parameters) and everything derived from it (data.md 2–3).

use super::grid::{Grid, GridKind};
use super::grouping::{bins_from_flags, optimal_flags, threshold_flags, ChannelData};
use super::limits::{counts_significance_limit, counts_upper_limit, CountTotals};
use super::links;
use super::notice::{normalize_notc, notc_text, noticed_mask};
use super::options::{
    ArfInput, DataUnitOptions, GroupingMethod, GroupingRule, ResponseInput, SpectrumInput,
    DEFAULT_STAT,
};
use crate::error::{Error, Result};
use crate::format::sig4;
use crate::math::significance::SignificanceKind;
use crate::model::Par;
use crate::ogip::{
    read_arf, read_response_for_time, read_rmf, read_spectrum, FileSpec, Response, Spectrum,
    SpectrumRole,
};
use crate::stat::Statistic;
use std::path::Path;

/// Points per energy bin of the model grid (`egrid`, data.md 3.1).
pub const NGRID: usize = 5;

/// Count rates and count spectra of one grid, with errors (data.md 3.3).
#[derive(Debug, Clone, PartialEq)]
pub struct BinRates {
    /// Source count rate S / t_s (counts/s).
    pub src_rate: Vec<f64>,
    /// Its error σS / t_s.
    pub src_rate_error: Vec<f64>,
    /// Background count rate scaled to the source region, B / t_b.
    pub bkg_rate: Vec<f64>,
    /// Its error σB / t_b.
    pub bkg_rate_error: Vec<f64>,
    /// Net rate src − bkg.
    pub net_rate: Vec<f64>,
    /// Its error √(src_err² + bkg_err²).
    pub net_rate_error: Vec<f64>,
    /// Source count spectrum (counts/s/keV).
    pub src_ctsspec: Vec<f64>,
    /// Its error.
    pub src_ctsspec_error: Vec<f64>,
    /// Background count spectrum (counts/s/keV).
    pub bkg_ctsspec: Vec<f64>,
    /// Its error.
    pub bkg_ctsspec_error: Vec<f64>,
    /// Net count spectrum (counts/s/keV).
    pub net_ctsspec: Vec<f64>,
    /// Its error.
    pub net_ctsspec_error: Vec<f64>,
}

/// The five nuisance parameters of a unit (data.md 2.9) as shared [`Par`] handles.
///
/// Cloning a `Nuisance` (or the [`DataUnit`] holding it) shares the parameters: changing a
/// value through any handle changes it everywhere. Every derived quantity that depends on
/// them (`ts`, `tb`, rates, the corrected response, folding) reads the current values.
#[derive(Debug, Clone)]
pub struct Nuisance {
    /// `sf`: multiplies the source efficiency (default 1, frozen).
    pub sf: Par,
    /// `bf`: multiplies the background efficiency (default 1, frozen).
    pub bf: Par,
    /// `rf`: multiplies the response (cross-calibration constant; default 1, frozen).
    pub rf: Par,
    /// `ra`: location placeholder (default 0, frozen; unused by the data layer).
    pub ra: Par,
    /// `dec`: location placeholder (default 0, frozen; unused by the data layer).
    pub dec: Par,
}

impl Default for Nuisance {
    /// Fresh parameters: `sf = bf = rf = 1`, `ra = dec = 0`, all frozen, no prior.
    fn default() -> Self {
        Nuisance {
            sf: Par::fixed("sf", 1.0),
            bf: Par::fixed("bf", 1.0),
            rf: Par::fixed("rf", 1.0),
            ra: Par::fixed("ra", 0.0),
            dec: Par::fixed("dec", 0.0),
        }
    }
}

impl Nuisance {
    /// The parameters with their labels, in numbering order (`sf, bf, rf, ra, dec`).
    pub fn pars(&self) -> Vec<(&'static str, Par)> {
        NUISANCE_LABELS
            .iter()
            .zip([&self.sf, &self.bf, &self.rf, &self.ra, &self.dec])
            .map(|(l, p)| (*l, p.clone()))
            .collect()
    }

    /// The current values `[sf, bf, rf, ra, dec]`.
    pub fn values(&self) -> [f64; 5] {
        [
            self.sf.val(),
            self.bf.val(),
            self.rf.val(),
            self.ra.val(),
            self.dec.val(),
        ]
    }
}

/// Labels of the nuisance parameters, in their numbering order.
pub const NUISANCE_LABELS: [&str; 5] = ["sf", "bf", "rf", "ra", "dec"];

/// One observation ready for fitting: see the module docs and data.md 2–3.
#[derive(Debug, Clone)]
pub struct DataUnit {
    name: Option<String>,
    options: DataUnitOptions,
    src: Spectrum,
    bkg: Spectrum,
    has_bkg: bool,
    response: Response,
    file_names: [Option<String>; 5],
    stat: Statistic,
    notc: Option<Vec<[f64; 2]>>,
    weight: f64,
    nuisance: Nuisance,
    quality_good: Vec<bool>,
    noticed: Vec<bool>,
    fit: Grid,
    display: Grid,
    load_warnings: Vec<String>,
    warnings: Vec<String>,
    /// What was loaded on the header's word (BACKFILE, RESPFILE, ANCRFILE).
    notes: Vec<String>,
}

fn spectrum_from(input: &SpectrumInput, role: SpectrumRole) -> Result<(Spectrum, Option<String>)> {
    match input {
        SpectrumInput::File(text) => {
            let spec = FileSpec::parse(text).map_err(|e| e.context(role_name(role)))?;
            let s = read_spectrum(&spec, role)?;
            Ok((s, Some(spec.display_name())))
        }
        SpectrumInput::Spectrum(s) => {
            s.validate().map_err(|e| e.context(role_name(role)))?;
            Ok(((**s).clone(), Some(s.name.clone())))
        }
        SpectrumInput::None => Err(Error::new(format!(
            "{}: 'none' names no spectrum",
            role_name(role)
        ))),
    }
}

fn role_name(role: SpectrumRole) -> &'static str {
    match role {
        SpectrumRole::Source => "src",
        SpectrumRole::Background => "bkg",
    }
}

fn response_from(
    input: &ResponseInput,
    rmf: bool,
    time: Option<(f64, f64)>,
) -> Result<(Response, String)> {
    match input {
        ResponseInput::File(text) => {
            let what = if rmf { "rmf" } else { "rsp" };
            let spec = FileSpec::parse(text).map_err(|e| e.context(what))?;
            let r = if rmf {
                read_rmf(&spec)?
            } else {
                read_response_for_time(&spec, time)?
            };
            Ok((r, spec.display_name()))
        }
        ResponseInput::Response(r) => {
            r.validate()?;
            Ok(((**r).clone(), r.name.clone()))
        }
        ResponseInput::Shared(s) => {
            s.response.validate()?;
            Ok(((*s.response).clone(), s.response.name.clone()))
        }
    }
}

/// Whether two TELESCOP values name the same mission (CHANDRA = CXC = AXAF, XMM = XMM-NEWTON,
/// FERMI = GLAST, SUZAKU = ASTRO-E2, ASCA = ASTRO-D, SWIFT = SWIFT-XRT …), ignoring case.
fn same_telescope(a: &str, b: &str) -> bool {
    let canon = |t: &str| {
        let t = t.trim().to_ascii_uppercase();
        let t = t.replace(['_', ' '], "-");
        match t.as_str() {
            "CXC" | "AXAF" | "CHANDRA" => "CHANDRA".to_string(),
            "XMM-NEWTON" | "XMM" => "XMM".to_string(),
            "GLAST" | "FERMI" => "FERMI".to_string(),
            "ASTRO-E2" | "SUZAKU" => "SUZAKU".to_string(),
            "ASTRO-D" | "ASCA" => "ASCA".to_string(),
            "SWIFT-XRT" | "SWIFT" => "SWIFT".to_string(),
            "ASTRO-H" | "HITOMI" => "HITOMI".to_string(),
            _ => t,
        }
    };
    canon(a) == canon(b)
}

/// The file name of a file spec's path (for the one-line note on linked files).
fn base_name(spec: &str) -> String {
    Path::new(spec)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.to_string())
}

fn same_spectrum(a: &Spectrum, b: &Spectrum) -> bool {
    match (&a.file, &b.file) {
        (Some(fa), Some(fb)) => {
            let ca = std::fs::canonicalize(&fa.path).unwrap_or_else(|_| fa.path.clone());
            let cb = std::fs::canonicalize(&fb.path).unwrap_or_else(|_| fb.path.clone());
            ca == cb && a.hdu == b.hdu && a.row == b.row
        }
        _ => false,
    }
}

impl DataUnit {
    /// Build a unit: load the files, then notice, group and derive everything (data.md 2.2).
    pub fn new(options: DataUnitOptions) -> Result<DataUnit> {
        let mut warnings = Vec::new();
        let mut notes = Vec::new();
        let src_in = options
            .src
            .as_ref()
            .ok_or_else(|| Error::new("DataUnit: 'src' (the source spectrum) is required"))?;
        let (rsp_given, rmf_given, arf_given) = (
            options.rsp.is_some(),
            options.rmf.is_some(),
            options.arf.is_some(),
        );
        if rsp_given && (rmf_given || arf_given) {
            return Err(Error::new(
                "DataUnit: give either 'rsp' or 'rmf' + 'arf', not both",
            ));
        }
        let mut names: [Option<String>; 5] = Default::default();
        let (src, src_name) = spectrum_from(src_in, SpectrumRole::Source)?;
        names[0] = src_name;
        // Files the source's header names, where the options leave them out.
        let src_file = src.file.as_ref().map(|f| f.path.clone());
        let link = |keyword: &str, value: &Option<String>, option: &str| {
            links::follow(
                keyword,
                value.as_deref(),
                &src.name,
                src_file.as_deref(),
                option,
            )
        };
        let mut linked: Vec<String> = Vec::new();
        let (mut rsp_in, mut rmf_in, mut arf_in) = (
            options.rsp.clone(),
            options.rmf.clone(),
            options.arf.clone(),
        );
        if !rsp_given && !rmf_given && !arf_given {
            if let Some(r) = link("RESPFILE", &src.respfile, "rsp")? {
                match link("ANCRFILE", &src.ancrfile, "arf")? {
                    Some(a) => {
                        linked.push(format!("RMF {}", base_name(&r)));
                        linked.push(format!("ARF {}", base_name(&a)));
                        rmf_in = Some(ResponseInput::File(r));
                        arf_in = Some(ArfInput::File(a));
                    }
                    None => {
                        linked.push(format!("response {}", base_name(&r)));
                        rsp_in = Some(ResponseInput::File(r));
                    }
                }
            }
        } else if rmf_given && !arf_given {
            if let Some(a) = link("ANCRFILE", &src.ancrfile, "arf")? {
                linked.push(format!("ARF {}", base_name(&a)));
                arf_in = Some(ArfInput::File(a));
            }
        }
        let mut with_area = true;
        let response = match (&rsp_in, &rmf_in, &arf_in) {
            (Some(r), _, _) => {
                let (r, n) = response_from(r, false, src.time_range)?;
                names[2] = Some(n);
                r
            }
            (None, Some(m), Some(a)) => {
                let (rmf, n) = response_from(m, true, None)?;
                let arf = match a {
                    ArfInput::File(text) => {
                        let spec = FileSpec::parse(text).map_err(|e| e.context("arf"))?;
                        names[4] = Some(spec.display_name());
                        read_arf(&spec)?
                    }
                    ArfInput::Arf(a) => {
                        names[4] = Some(a.name.clone());
                        a.clone()
                    }
                };
                names[3] = Some(n);
                // (the response keeps the RMF's warnings: they are added with its own below)
                rmf.apply_arf(&arf)?
            }
            (None, Some(m), None) => {
                // an RMF alone is a valid response (XSPEC takes it)
                let (rmf, n) = response_from(m, true, None)?;
                names[3] = Some(n);
                with_area = false;
                rmf
            }
            (None, None, Some(_)) => {
                return Err(Error::new(
                    "DataUnit: 'arf' needs an 'rmf' (or give a full response as 'rsp')",
                ))
            }
            (None, None, None) => {
                return Err(Error::new(format!(
                    "DataUnit: no response for '{}': its header names none (RESPFILE); give \
                     'rsp', or 'rmf' (and 'arf')",
                    src.name
                )))
            }
        };
        if rsp_in.is_some() {
            with_area = false;
        }
        if !with_area && response.is_redistribution_only() {
            warnings.push(format!(
                "the response '{}' is redistribution-only (every energy row sums to ≤ 1): it \
                 has no effective area; give it as 'rmf' and its ARF as 'arf'",
                response.name
            ));
        }
        warnings.extend(response.warnings.iter().cloned());
        warnings.extend(src.warnings.iter().cloned());
        let (bkg, has_bkg) = match &options.bkg {
            Some(SpectrumInput::None) => (src.zero_background(), false),
            Some(b) => {
                let (bkg, n) = spectrum_from(b, SpectrumRole::Background)?;
                if same_spectrum(&src, &bkg) {
                    return Err(Error::new(format!(
                        "DataUnit: the background '{}' is the same spectrum (same file, HDU and row) as the source; choose the background HDU, e.g. \"{}[BKG]\"",
                        bkg.name,
                        src.file.as_ref().map(|f| f.path.display().to_string()).unwrap_or_default()
                    )));
                }
                names[1] = n;
                warnings.extend(bkg.warnings.iter().cloned());
                (bkg, true)
            }
            None => match auto_background(&src)? {
                Some(bkg) if bkg.row.is_some() => {
                    notes.push(format!(
                        "{}: background BACKGROUND_UP + BACKGROUND_DOWN of the row, BACKSCAL = \
                         BACKSCUP + BACKSCDN",
                        src.name
                    ));
                    names[1] = Some(bkg.name.clone());
                    (bkg, true)
                }
                Some(bkg) => {
                    warnings.push(format!(
                        "bkg: using the background spectrum in HDU {} of the source file (HDUCLAS2 = 'BKG')",
                        bkg.hdu.unwrap_or(0)
                    ));
                    names[1] = Some(format!("{}[{}]", src.name, bkg.hdu.unwrap_or(0)));
                    (bkg, true)
                }
                None => match link("BACKFILE", &src.backfile, "bkg")? {
                    Some(b) => {
                        let (bkg, n) = spectrum_from(
                            &SpectrumInput::File(b.clone()),
                            SpectrumRole::Background,
                        )?;
                        if same_spectrum(&src, &bkg) {
                            return Err(Error::new(format!(
                                "DataUnit: the header of '{}' names itself as its background \
                                 (BACKFILE) and it has no background HDU; give 'bkg'",
                                src.name
                            )));
                        }
                        linked.insert(0, format!("background {}", base_name(&b)));
                        names[1] = n;
                        warnings.extend(bkg.warnings.iter().cloned());
                        (bkg, true)
                    }
                    None => (src.zero_background(), false),
                },
            },
        };
        if !linked.is_empty() {
            notes.push(format!(
                "{}: {} (from the header)",
                src.name,
                linked.join(", ")
            ));
        }
        let (ns, nb, nr) = (src.n_channels(), bkg.n_channels(), response.n_channels());
        if ns != nr || nb != nr {
            // name only the files that were given (or linked)
            let bkg_part = if has_bkg {
                format!(", bkg '{}' has {nb}", bkg.name)
            } else {
                String::new()
            };
            return Err(Error::new(format!(
                "DataUnit: channel counts differ: src '{}' has {ns}{bkg_part}, response '{}' has {nr}",
                src.name, response.name
            )));
        }
        if let Some(fc) = src.first_channel {
            if fc != response.first_channel {
                {
                    warnings.push(format!(
                        "the first channel of '{}' is {fc} but the response's channels start at {}",
                        src.name, response.first_channel
                    ));
                }
            }
        }
        if let Some((lo, hi)) = &src.ebounds {
            if let Some(c) = ebounds_disagreement(lo, hi, &response.e_min, &response.e_max) {
                warnings.push(format!(
                    "the EBOUNDS of '{}' differ from the response '{}' (channel {c}: {:.6}-{:.6} keV vs {:.6}-{:.6} keV); channel energies come from the response",
                    src.name, response.name, lo[c], hi[c], response.e_min[c], response.e_max[c]
                ));
            }
        }
        for (what, a, b) in [
            ("TELESCOP", &src.telescop, &response.telescop),
            ("INSTRUME", &src.instrume, &response.instrume),
        ] {
            if let (Some(a), Some(b)) = (a, b) {
                let same = if what == "TELESCOP" {
                    same_telescope(a, b)
                } else {
                    a.trim().eq_ignore_ascii_case(b.trim())
                };
                if !same {
                    warnings.push(format!(
                        "{what} differs between '{}' ({a}) and '{}' ({b})",
                        src.name, response.name
                    ));
                }
            }
        }
        let placeholder = Grid::build(vec![], vec![], &src, &bkg, &response);
        let options_rsp = options.rsp.clone();
        let mut unit = DataUnit {
            name: None,
            options,
            src,
            bkg,
            has_bkg,
            response,
            file_names: names,
            stat: DEFAULT_STAT,
            notc: None,
            weight: 1.0,
            nuisance: nuisance_for(&options_rsp),
            quality_good: vec![],
            noticed: vec![],
            fit: placeholder.clone(),
            display: placeholder,
            load_warnings: warnings,
            notes,
            warnings: vec![],
        };
        unit.derive()?;
        Ok(unit)
    }

    /// Steps 2–11 of the build pipeline, from the loaded spectra and response.
    fn derive(&mut self) -> Result<()> {
        let o = &self.options;
        let stat = match &o.stat {
            Some(name) => Statistic::from_name(name).map_err(|e| e.context("stat"))?,
            None => DEFAULT_STAT,
        };
        if let Some(t) = o.time {
            if !t.is_finite() {
                return Err(Error::new(format!("time = {t} must be a finite number")));
            }
        }
        let weight = o.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            return Err(Error::new(format!(
                "weight = {weight} must be finite and > 0"
            )));
        }
        for (key, rule) in [("grpg", &o.grpg), ("rebn", &o.rebn)] {
            if let Some(r) = rule {
                r.validate().map_err(|e| e.context(key))?;
            }
        }
        let notc = match &o.notc {
            Some(r) => Some(normalize_notc(r)?),
            None => None,
        };
        let mut warnings = self.load_warnings.clone();
        let n = self.src.n_channels();
        let quality_good: Vec<bool> = (0..n)
            .map(|c| self.src.quality[c] == 0 && (!self.has_bkg || self.bkg.quality[c] == 0))
            .collect();
        let noticed = noticed_mask(
            notc.as_deref(),
            &self.response.e_min,
            &self.response.e_max,
            &mut warnings,
        );
        let valid: Vec<bool> = (0..n).map(|c| quality_good[c] && noticed[c]).collect();
        if !valid.iter().any(|&v| v) {
            return Err(Error::new(format!(
                "no channel is both quality-good and noticed for notc={} ({} channels noticed, {} of good quality)",
                notc_text(notc.as_deref()),
                noticed.iter().filter(|&&v| v).count(),
                quality_good.iter().filter(|&&v| v).count()
            )));
        }
        self.check_values(stat, &valid, &mut warnings)?;
        if self.has_bkg && !stat.uses_background() {
            warnings.push(format!(
                "the background '{}' is not used: '{stat}' ignores the background (cstat or \
                 pgstat model it)",
                self.bkg.name
            ));
        }

        let alpha: Vec<f64> = (0..n)
            .map(|c| {
                (self.src.exposure * self.src.areascal.at(c) * self.src.backscale.at(c))
                    / (self.bkg.exposure * self.bkg.areascal.at(c) * self.bkg.backscale.at(c))
            })
            .collect();
        let chan = ChannelData {
            src: &self.src.counts,
            bkg: &self.bkg.counts,
            bkg_err: &self.bkg.errors,
            alpha: &alpha,
            valid: &valid,
        };
        let kind = stat.significance();
        if !self
            .bkg
            .errors
            .iter()
            .zip(&valid)
            .any(|(&e, &v)| v && e != 0.0)
            && kind == SignificanceKind::PoissonGauss
            && [&o.grpg, &o.rebn]
                .iter()
                .any(|r| r.as_ref().is_some_and(|r| r.min_sigma.is_some()))
        {
            warnings.push(format!(
                "a min_sigma rule with '{stat}' and no background errors: the significance is 0 everywhere, so bins close only at max_bin"
            ));
        }
        let fwhm = || self.response.channel_fwhm();
        let build_flags = |rule: &GroupingRule, warnings: &mut Vec<String>| -> Result<Vec<i64>> {
            match rule.method() {
                GroupingMethod::Threshold => Ok(threshold_flags(&chan, rule, kind, warnings)),
                GroupingMethod::Optimal => optimal_flags(&chan, &fwhm(), rule, kind),
            }
        };
        let (fit_flags, fit_bins) = match &o.grpg {
            None => {
                let flags: Vec<i64> = self
                    .src
                    .grouping
                    .iter()
                    .map(|&g| if g == 0 { 1 } else { g })
                    .collect();
                let (bins, dropped) = bins_from_flags(&flags, &valid, true);
                for (a, b) in dropped {
                    warnings.push(format!(
                        "file grouping: the group of channels {a}..{} ({}–{} keV) is dropped because it straddles a notice limit or a bad channel",
                        b - 1,
                        sig4(self.response.e_min[a]),
                        sig4(self.response.e_max[b - 1])
                    ));
                }
                (flags, bins)
            }
            Some(rule) => {
                let flags = build_flags(rule, &mut warnings).map_err(|e| e.context("grpg"))?;
                let (bins, _) = bins_from_flags(&flags, &valid, false);
                (flags, bins)
            }
        };
        if fit_bins.is_empty() {
            return Err(Error::new(format!(
                "no fit bin left after grouping with notc={}: every group straddles a notice limit or a bad channel",
                notc_text(notc.as_deref())
            )));
        }
        let fit = Grid::build(fit_flags, fit_bins, &self.src, &self.bkg, &self.response);
        let display = match &o.rebn {
            None => fit.clone(),
            Some(rule) => {
                let flags = build_flags(rule, &mut warnings).map_err(|e| e.context("rebn"))?;
                let (bins, _) = bins_from_flags(&flags, &valid, false);
                Grid::build(flags, bins, &self.src, &self.bkg, &self.response)
            }
        };
        if stat.is_gaussian() {
            let zero: Vec<String> = (0..fit.n_bins())
                .filter(|&k| fit.src_errors()[k] == 0.0 && fit.bkg_errors()[k] == 0.0)
                .map(|k| format!("{}–{} keV", sig4(fit.emin()[k]), sig4(fit.emax()[k])))
                .collect();
            if !zero.is_empty() {
                // at most five named, then how many more
                let more = zero.len().saturating_sub(5);
                return Err(Error::new(format!(
                    "stat '{stat}' needs a non-zero error in every fit bin, but {} bin(s) have none ({}{}); use notc, grpg or a Poisson statistic",
                    zero.len(),
                    zero[..zero.len().min(5)].join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                )));
            }
        }
        self.stat = stat;
        self.notc = notc;
        self.weight = weight;
        self.quality_good = quality_good;
        self.noticed = noticed;
        self.fit = fit;
        self.display = display;
        // each warning once, whichever step of loading and building raised it
        let mut seen = std::collections::HashSet::new();
        self.warnings = warnings
            .into_iter()
            .filter(|w| seen.insert(w.clone()))
            .collect();
        Ok(())
    }

    fn check_values(
        &self,
        stat: Statistic,
        valid: &[bool],
        warnings: &mut Vec<String>,
    ) -> Result<()> {
        let e = &self.response;
        let at = |c: usize| format!("channel {c} ({}–{} keV)", e.e_min[c], e.e_max[c]);
        for (role, sp) in [("source", &self.src), ("background", &self.bkg)] {
            let fitted: Vec<_> = sp
                .unusable_scale
                .iter()
                .filter(|f| valid.get(f.channel).copied().unwrap_or(false))
                .collect();
            if let Some(first) = fitted.first() {
                // at most five named, then how many more
                let shown: Vec<String> = fitted
                    .iter()
                    .take(5)
                    .map(|f| {
                        format!(
                            "{} ({}–{} keV)",
                            f.channel + 1,
                            sig4(e.e_min[f.channel]),
                            sig4(e.e_max[f.channel])
                        )
                    })
                    .collect();
                let more = fitted.len().saturating_sub(5);
                return Err(Error::new(format!(
                    "{role} '{}': {} = {} in {} fitted channel{} {}{} (position in the file, from 1); \
                     a fitted channel needs it finite and > 0: ignore them with notc or flag them bad (QUALITY)",
                    sp.name,
                    first.what,
                    first.value,
                    fitted.len(),
                    if fitted.len() == 1 { "" } else { "s" },
                    shown.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                )));
            }
        }
        let mut non_integer = false;
        for c in (0..valid.len()).filter(|&c| valid[c]) {
            for (what, sp) in [("source", &self.src), ("background", &self.bkg)] {
                if !sp.counts[c].is_finite() || !sp.errors[c].is_finite() {
                    return Err(Error::new(format!(
                        "{what} '{}' has counts {} ± {} at {}",
                        sp.name,
                        sp.counts[c],
                        sp.errors[c],
                        at(c)
                    )));
                }
            }
            if self.src.counts[c] < 0.0 && stat.is_poisson_source() {
                return Err(Error::new(format!(
                    "source '{}' has negative counts ({}) at {}; '{stat}' needs counts >= 0 (use chi2)",
                    self.src.name,
                    self.src.counts[c],
                    at(c)
                )));
            }
            if self.bkg.counts[c] < 0.0 && stat.is_poisson_background() {
                return Err(Error::new(format!(
                    "background '{}' has negative counts ({}) at {}; '{stat}' needs counts >= 0 (use pgstat)",
                    self.bkg.name,
                    self.bkg.counts[c],
                    at(c)
                )));
            }
            non_integer |= self.src.counts[c].fract() != 0.0;
        }
        if non_integer && stat.is_poisson_source() {
            warnings.push(format!(
                "source '{}' has non-integer counts but '{stat}' treats them as Poisson",
                self.src.name
            ));
        }
        Ok(())
    }

    /// Rebuild with changed options (files are reloaded only if a file option changed);
    /// on error the unit is left unchanged.
    pub fn set_options(&mut self, options: DataUnitOptions) -> Result<()> {
        let o = &self.options;
        let files_same = o.src == options.src
            && o.bkg == options.bkg
            && o.rsp == options.rsp
            && o.rmf == options.rmf
            && o.arf == options.arf;
        let mut next = if files_same {
            let mut u = self.clone();
            u.options = options;
            u.derive()?;
            u
        } else {
            DataUnit::new(options)?
        };
        next.name = self.name.clone();
        // sf, bf stay this unit's; rf, ra, dec too, unless a shared response brings its own
        let n = &mut next.nuisance;
        n.sf = self.nuisance.sf.clone();
        n.bf = self.nuisance.bf.clone();
        if !matches!(next.options.rsp, Some(ResponseInput::Shared(_))) {
            n.rf = self.nuisance.rf.clone();
            n.ra = self.nuisance.ra.clone();
            n.dec = self.nuisance.dec.clone();
        }
        *self = next;
        Ok(())
    }

    /// The options as given.
    pub fn options(&self) -> &DataUnitOptions {
        &self.options
    }

    /// The unit's name (set by [`Data`](super::Data)), if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Set the name (done by `Data` when the unit is stored).
    pub fn set_name(&mut self, name: &str) {
        self.name = Some(name.to_string());
    }

    /// Files loaded because the source's header named them, one line (`3c273.pi: background
    /// 3c273_bg.pi, RMF 3c273.rmf, ARF 3c273.arf (from the header)`), for the script layer to
    /// print.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Warnings collected while loading and building (for the script layer to print).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The source spectrum.
    pub fn source(&self) -> &Spectrum {
        &self.src
    }

    /// The background spectrum (the zero background when none was given).
    pub fn background(&self) -> &Spectrum {
        &self.bkg
    }

    /// Whether a background spectrum was given (or found in the source file).
    pub fn has_background(&self) -> bool {
        self.has_bkg
    }

    /// The full response (RSP, or RMF × ARF).
    pub fn response(&self) -> &Response {
        &self.response
    }

    /// Base names of the files (`src`, `bkg`, `rsp`, `rmf`, `arf`), `None` where not given.
    pub fn file_names(&self) -> &[Option<String>; 5] {
        &self.file_names
    }

    /// The statistic.
    pub fn stat(&self) -> Statistic {
        self.stat
    }

    /// The normalised noticed ranges (`None` = every channel).
    pub fn notc(&self) -> Option<&[[f64; 2]]> {
        self.notc.as_deref()
    }

    /// The fitting-grid rule as given.
    pub fn grpg(&self) -> Option<&GroupingRule> {
        self.options.grpg.as_ref()
    }

    /// The display-grid rule as given.
    pub fn rebn(&self) -> Option<&GroupingRule> {
        self.options.rebn.as_ref()
    }

    /// The time stamp, if any.
    pub fn time(&self) -> Option<f64> {
        self.options.time
    }

    /// The likelihood weight.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// Per-channel quality flags (true = good in source and background).
    pub fn qualifying(&self) -> &[bool] {
        &self.quality_good
    }

    /// Per-channel noticed flags.
    pub fn noticing(&self) -> &[bool] {
        &self.noticed
    }

    /// The fitting grid.
    pub fn fit_grid(&self) -> &Grid {
        &self.fit
    }

    /// The display grid.
    pub fn display_grid(&self) -> &Grid {
        &self.display
    }

    /// A grid by kind.
    pub fn grid(&self, kind: GridKind) -> &Grid {
        match kind {
            GridKind::Fit => &self.fit,
            GridKind::Display => &self.display,
        }
    }

    // ---- nuisance parameters ----

    /// The nuisance parameters (shared handles).
    pub fn nuisance(&self) -> &Nuisance {
        &self.nuisance
    }

    /// The nuisance parameters with their labels in numbering order: `sf`, `bf`, `rf`, `ra`,
    /// `dec` (handles shared with this unit and its clones).
    pub fn nuisance_pars(&self) -> Vec<(&'static str, Par)> {
        self.nuisance.pars()
    }

    /// Current value of `sf`.
    pub fn sf(&self) -> f64 {
        self.nuisance.sf.val()
    }

    /// Current value of `bf`.
    pub fn bf(&self) -> f64 {
        self.nuisance.bf.val()
    }

    /// Current value of `rf` (the likelihood multiplies the grouped response by it).
    pub fn rf(&self) -> f64 {
        self.nuisance.rf.val()
    }

    /// Set `sf` (finite, > 0) through its parameter.
    pub fn set_sf(&self, v: f64) -> Result<()> {
        positive("sf", v)?;
        self.nuisance.sf.set_val(v);
        Ok(())
    }

    /// Set `bf` (finite, > 0) through its parameter.
    pub fn set_bf(&self, v: f64) -> Result<()> {
        positive("bf", v)?;
        self.nuisance.bf.set_val(v);
        Ok(())
    }

    /// Set `rf` (finite, > 0) through its parameter.
    pub fn set_rf(&self, v: f64) -> Result<()> {
        positive("rf", v)?;
        self.nuisance.rf.set_val(v);
        Ok(())
    }

    /// Set the location placeholders `ra`, `dec` (unused by the data layer).
    pub fn set_location(&self, ra: f64, dec: f64) {
        self.nuisance.ra.set_val(ra);
        self.nuisance.dec.set_val(dec);
    }

    // ---- hot-path accessors (fitting grid) ----

    /// `ENERG_LO` of the response energy bins (keV).
    pub fn energ_lo(&self) -> &[f64] {
        &self.response.energ_lo
    }

    /// `ENERG_HI` of the response energy bins (keV).
    pub fn energ_hi(&self) -> &[f64] {
        &self.response.energ_hi
    }

    /// Number of response energy bins.
    pub fn n_energy(&self) -> usize {
        self.response.n_energy()
    }

    /// Number of fit bins (`npoint`).
    pub fn n_fit_bins(&self) -> usize {
        self.fit.n_bins()
    }

    /// Grouped response on the fitting grid: row-major `n_energy × n_fit_bins`, cm², before
    /// `rf`. Model counts/s in fit bin k = rf · Σ_i flux_i · drm[i·n_fit_bins + k].
    pub fn fit_drm(&self) -> &[f64] {
        self.fit.drm()
    }

    /// Source counts S per fit bin.
    pub fn src_counts(&self) -> &[f64] {
        self.fit.src_counts()
    }

    /// Raw background counts B per fit bin.
    pub fn bkg_counts(&self) -> &[f64] {
        self.fit.bkg_counts()
    }

    /// Source errors σ_S per fit bin.
    pub fn src_errors(&self) -> &[f64] {
        self.fit.src_errors()
    }

    /// Background errors σ_B per fit bin (background counts).
    pub fn bkg_errors(&self) -> &[f64] {
        self.fit.bkg_errors()
    }

    /// Source efficiency t_s = t_S · AREASCAL_S · sf per fit bin with the current `sf`
    /// (`corr_src_efficiency`); the value before `sf` is [`Grid::ts_base`].
    pub fn ts(&self) -> Vec<f64> {
        self.src_efficiency(GridKind::Fit)
    }

    /// Background efficiency t_b = t_B · AREASCAL_B · BACKSCAL_B/BACKSCAL_S · bf per fit bin
    /// with the current `bf` (`corr_bkg_efficiency`); the value before `bf` is
    /// [`Grid::tb_base`].
    pub fn tb(&self) -> Vec<f64> {
        self.bkg_efficiency(GridKind::Fit)
    }

    // ---- derived quantities ----

    /// The model energy grid: `NGRID` equally spaced energies per energy bin from `ENERG_LO`
    /// to `ENERG_HI` inclusive, clamped to ≥ 1e-10 keV, row by row (length `NGRID·n_energy`).
    pub fn egrid(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(NGRID * self.n_energy());
        for (lo, hi) in self.energ_lo().iter().zip(self.energ_hi()) {
            for j in 0..NGRID {
                let e = lo + (hi - lo) * j as f64 / (NGRID - 1) as f64;
                out.push(e.max(1e-10));
            }
        }
        out
    }

    /// Source efficiency per bin of a grid, with the current `sf`.
    pub fn src_efficiency(&self, kind: GridKind) -> Vec<f64> {
        let sf = self.sf();
        self.grid(kind).ts_base().iter().map(|t| t * sf).collect()
    }

    /// Background efficiency per bin of a grid, with the current `bf`.
    pub fn bkg_efficiency(&self, kind: GridKind) -> Vec<f64> {
        let bf = self.bf();
        self.grid(kind).tb_base().iter().map(|t| t * bf).collect()
    }

    /// The grouped response of a grid multiplied by the current `rf` (`corr_rsp_drm`),
    /// row-major `n_energy × n_bins`.
    pub fn corr_rsp_drm(&self, kind: GridKind) -> Vec<f64> {
        let rf = self.rf();
        self.grid(kind).drm().iter().map(|v| v * rf).collect()
    }

    /// Count rates and count spectra of a grid (data.md 3.3), with the current `sf`, `bf`.
    pub fn rates(&self, kind: GridKind) -> BinRates {
        let g = self.grid(kind);
        let ts = self.src_efficiency(kind);
        let tb = self.bkg_efficiency(kind);
        let width = g.ewidth();
        let nb = g.n_bins();
        let mut r = BinRates {
            src_rate: Vec::with_capacity(nb),
            src_rate_error: Vec::with_capacity(nb),
            bkg_rate: Vec::with_capacity(nb),
            bkg_rate_error: Vec::with_capacity(nb),
            net_rate: Vec::with_capacity(nb),
            net_rate_error: Vec::with_capacity(nb),
            src_ctsspec: Vec::with_capacity(nb),
            src_ctsspec_error: Vec::with_capacity(nb),
            bkg_ctsspec: Vec::with_capacity(nb),
            bkg_ctsspec_error: Vec::with_capacity(nb),
            net_ctsspec: Vec::with_capacity(nb),
            net_ctsspec_error: Vec::with_capacity(nb),
        };
        for k in 0..nb {
            let sr = g.src_counts()[k] / ts[k];
            let se = g.src_errors()[k] / ts[k];
            let br = g.bkg_counts()[k] / tb[k];
            let be = g.bkg_errors()[k] / tb[k];
            let nr = sr - br;
            let ne = (se * se + be * be).sqrt();
            let w = width[k];
            r.src_rate.push(sr);
            r.src_rate_error.push(se);
            r.bkg_rate.push(br);
            r.bkg_rate_error.push(be);
            r.net_rate.push(nr);
            r.net_rate_error.push(ne);
            r.src_ctsspec.push(sr / w);
            r.src_ctsspec_error.push(se / w);
            r.bkg_ctsspec.push(br / w);
            r.bkg_ctsspec_error.push(be / w);
            r.net_ctsspec.push(nr / w);
            r.net_ctsspec_error.push(ne / w);
        }
        r
    }

    /// Fold a photon flux per energy bin (photons cm⁻² s⁻¹, length `n_energy`) through the
    /// grouped response of a grid, times `rf`: model count rate per bin (counts/s).
    pub fn fold(&self, photon_flux: &[f64], kind: GridKind) -> Result<Vec<f64>> {
        let mut out = vec![0.0; self.grid(kind).n_bins()];
        self.fold_into(photon_flux, kind, &mut out)?;
        Ok(out)
    }

    /// [`fold`](Self::fold) into a preallocated buffer of length `n_bins` (no allocation).
    pub fn fold_into(&self, photon_flux: &[f64], kind: GridKind, out: &mut [f64]) -> Result<()> {
        let g = self.grid(kind);
        let (ne, nb) = (g.n_energy(), g.n_bins());
        if photon_flux.len() != ne || out.len() != nb {
            return Err(Error::new(format!(
                "fold: {} photon fluxes for {ne} energy bins and an output of {} for {nb} bins",
                photon_flux.len(),
                out.len()
            )));
        }
        out.iter_mut().for_each(|v| *v = 0.0);
        let drm = g.drm();
        for i in g.nonzero_energy_rows() {
            let f = photon_flux[i];
            for (o, d) in out.iter_mut().zip(&drm[i * nb..(i + 1) * nb]) {
                *o += f * d;
            }
        }
        let rf = self.rf();
        out.iter_mut().for_each(|v| *v *= rf);
        Ok(())
    }

    /// Script-facing `exposure` (source exposure t_S, s).
    pub fn exposure(&self) -> f64 {
        self.src.exposure
    }

    /// Script-facing `backscale` (source BACKSCAL; the mean for a per-channel column).
    pub fn backscale(&self) -> f64 {
        self.src.backscale.mean(0, self.src.n_channels())
    }

    /// Script-facing `nchannel` (channels in the file).
    pub fn nchannel(&self) -> usize {
        self.src.n_channels()
    }

    // ---- upper limits and detection thresholds (data.md 3.7) ----

    /// Summed counts over all fit bins, with the background scaled by the current `sf`, `bf`.
    pub fn count_totals(&self) -> CountTotals {
        let (sf, bf) = (self.sf(), self.bf());
        let g = &self.fit;
        let mut t = CountTotals {
            src: 0.0,
            bkg: 0.0,
            bkg_scaled: 0.0,
            bkg_scaled_error: 0.0,
            alpha: 0.0,
        };
        let mut var = 0.0;
        for k in 0..g.n_bins() {
            let alpha = g.ts_base()[k] * sf / (g.tb_base()[k] * bf);
            t.src += g.src_counts()[k];
            t.bkg += g.bkg_counts()[k];
            t.bkg_scaled += alpha * g.bkg_counts()[k];
            var += (alpha * g.bkg_errors()[k]).powi(2);
            t.alpha += alpha;
        }
        t.bkg_scaled_error = var.sqrt();
        t.alpha = if t.bkg > 0.0 {
            t.bkg_scaled / t.bkg
        } else {
            t.alpha / g.n_bins().max(1) as f64
        };
        t
    }

    /// Mean source efficiency t_S·sf over the fit bins (converts counts to rates).
    fn mean_src_efficiency(&self) -> f64 {
        let ts = self.ts();
        ts.iter().sum::<f64>() / ts.len().max(1) as f64
    }

    /// Bayesian upper limit on the net counts at credibility `cl` (default 0.9), data.md 3.7.
    pub fn net_counts_upperlimit(&self, cl: f64) -> Result<f64> {
        let t = self.count_totals();
        counts_upper_limit(t.src, t.bkg_scaled.max(0.0), cl).map_err(|e| e.context(self.label()))
    }

    /// [`net_counts_upperlimit`](Self::net_counts_upperlimit) / (t_S·sf), counts/s.
    pub fn net_ctsrate_upperlimit(&self, cl: f64) -> Result<f64> {
        Ok(self.net_counts_upperlimit(cl)? / self.mean_src_efficiency())
    }

    /// Net counts needed to reach significance `sig` (default 3) over this unit's background,
    /// with the formula of its statistic (`pgstat`: Poisson–Gauss; `cstat`/`ppstat`: Li & Ma).
    pub fn net_counts_significance_limit(&self, sig: f64) -> Result<f64> {
        let kind = match self.stat {
            Statistic::Pgstat => SignificanceKind::PoissonGauss,
            Statistic::Cstat => SignificanceKind::LiMa,
            other => {
                return Err(Error::new(format!(
                    "{}: significance limits need stat pgstat, cstat or ppstat, not '{other}'",
                    self.label()
                )))
            }
        };
        counts_significance_limit(kind, &self.count_totals(), sig)
            .map_err(|e| e.context(self.label()))
    }

    /// [`net_counts_significance_limit`](Self::net_counts_significance_limit) / (t_S·sf).
    pub fn net_ctsrate_significance_limit(&self, sig: f64) -> Result<f64> {
        Ok(self.net_counts_significance_limit(sig)? / self.mean_src_efficiency())
    }

    /// The unit's name, or its source spectrum's name, for messages.
    fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.src.name.clone())
    }
}

/// The first channel whose bounds differ by more than 1e-4 relative between a spectrum file's
/// own EBOUNDS and the response's (a different channel count is not checked here).
fn ebounds_disagreement(lo: &[f64], hi: &[f64], e_min: &[f64], e_max: &[f64]) -> Option<usize> {
    if lo.len() != e_min.len() {
        return None;
    }
    let differs = |a: f64, b: f64| (a - b).abs() > 1e-4 * a.abs().max(b.abs());
    (0..lo.len()).find(|&c| differs(lo[c], e_min[c]) || differs(hi[c], e_max[c]))
}

/// Fresh nuisance parameters, except that a shared response object brings its own `rf`, `ra`,
/// `dec` (data.md 2.9: they belong to the Response).
fn nuisance_for(rsp: &Option<ResponseInput>) -> Nuisance {
    let mut n = Nuisance::default();
    if let Some(ResponseInput::Shared(s)) = rsp {
        n.rf = s.rf.clone();
        n.ra = s.ra.clone();
        n.dec = s.dec.clone();
    }
    n
}

fn positive(what: &str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(Error::new(format!("{what} = {v} must be finite and > 0")))
    }
}

/// Look in the source file for a second SPECTRUM HDU marked `HDUCLAS2 = 'BKG'`, used when no
/// background is given and the source's BACKFILE is absent or names the source file itself.
fn auto_background(src: &Spectrum) -> Result<Option<Spectrum>> {
    let Some(file) = &src.file else {
        return Ok(None);
    };
    if src.row.is_some() {
        // a grating row carries its background in BACKGROUND_UP/BACKGROUND_DOWN
        return crate::ogip::grating_background(src);
    }
    // A BACKFILE naming another file is followed by the header links (data::links), not
    // here; one naming the source file itself (as Chandra pha3 files do) points at the BKG HDU.
    if let Some(back) = &src.backfile {
        let strip = |s: &str| s.trim().trim_end_matches(".gz").to_ascii_lowercase();
        let own = file
            .path
            .file_name()
            .map(|n| strip(&n.to_string_lossy()))
            .unwrap_or_default();
        let named = Path::new(back.trim())
            .file_name()
            .map(|n| strip(&n.to_string_lossy()))
            .unwrap_or_default();
        if named != own {
            return Ok(None);
        }
    }
    let fits = crate::fits::FitsFile::open(&file.path)?;
    let hits = fits.find(|h| {
        (h.str_is("EXTNAME", "SPECTRUM") || h.str_is("HDUCLAS1", "SPECTRUM"))
            && h.str_is("HDUCLAS2", "BKG")
    });
    let Some(&hdu) = hits.iter().find(|&&h| Some(h) != src.hdu) else {
        return Ok(None);
    };
    let spec = FileSpec {
        path: file.path.clone(),
        ext: Some(hdu.to_string()),
        index: None,
        text: format!("{}[{hdu}]", file.path.display()),
    };
    read_spectrum(&spec, SpectrumRole::Background).map(Some)
}
