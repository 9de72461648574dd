//! The one table the benchmark prints, and its plain-words summary.

use crate::append::Throughput;
use crate::latency::LatencyResult;
use crate::rebuild::RebuildResult;
use std::time::Duration;

/// Everything measured in one run.
pub struct Results {
    pub writers: usize,
    pub seconds: f64,
    pub rounds: usize,
    pub raw_c1: Throughput,
    pub onelink_c1: Throughput,
    pub raw_cn: Throughput,
    pub onelink_cn: Throughput,
    pub latency: LatencyResult,
    pub rebuild: RebuildResult,
}

pub struct Machine {
    pub nproc: usize,
    pub memory: String,
    pub server_version: String,
    pub cluster: &'static str,
    pub date: String,
}

/// Goals from the brief (see docs/PERFORMANCE.md).
pub const APPEND_RATIO_GOAL: f64 = 0.6;
pub const LATENCY_RATIO_GOAL: f64 = 1.3;
pub const REBUILD_GOAL: f64 = 50_000.0;

struct Row {
    measure: String,
    onelink: String,
    baseline: String,
    ratio: String,
    goal: String,
}

fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1_000.0)
}

fn spread(t: &Throughput) -> String {
    let (min, max) = t.spread();
    format!("{}–{}/s", thousands(min), thousands(max))
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

impl Results {
    pub fn append_ratio_c1(&self) -> f64 {
        self.onelink_c1.per_second / self.raw_c1.per_second
    }

    pub fn append_ratio_cn(&self) -> f64 {
        self.onelink_cn.per_second / self.raw_cn.per_second
    }

    pub fn latency_ratio(&self) -> f64 {
        self.latency.long.p50.as_secs_f64() / self.latency.short.p50.as_secs_f64()
    }

    fn rows(&self) -> Vec<Row> {
        let n = self.writers;
        let l = &self.latency;
        let r = &self.rebuild;
        let scale_onelink = self.onelink_cn.per_second / self.onelink_c1.per_second;
        let scale_raw = self.raw_cn.per_second / self.raw_c1.per_second;
        let mut rows = vec![
            Row {
                measure: "append, 1 writer: commands/s vs raw INSERT rows/s".into(),
                onelink: thousands(self.onelink_c1.per_second),
                baseline: thousands(self.raw_c1.per_second),
                ratio: format!("{:.2}", self.append_ratio_c1()),
                goal: "—".into(),
            },
            Row {
                measure: format!("append, {n} writers: commands/s vs raw INSERT rows/s"),
                onelink: thousands(self.onelink_cn.per_second),
                baseline: thousands(self.raw_cn.per_second),
                ratio: format!("{:.2}", self.append_ratio_cn()),
                goal: format!(
                    "ratio ≥ {APPEND_RATIO_GOAL}: {}",
                    verdict(self.append_ratio_cn() >= APPEND_RATIO_GOAL)
                ),
            },
            Row {
                measure: format!("append scaling, {n} writers / 1 writer"),
                onelink: format!("{scale_onelink:.2}×"),
                baseline: format!("{scale_raw:.2}×"),
                ratio: format!("{:.2}", scale_onelink / scale_raw),
                goal: "—".into(),
            },
            Row {
                measure: format!(
                    "update command p50: {}-event stream vs {}-event stream",
                    thousands(l.long_len as f64),
                    l.short_len
                ),
                onelink: ms(l.long.p50),
                baseline: ms(l.short.p50),
                ratio: format!("{:.2}", self.latency_ratio()),
                goal: format!(
                    "ratio ≤ {LATENCY_RATIO_GOAL}: {}",
                    verdict(self.latency_ratio() <= LATENCY_RATIO_GOAL)
                ),
            },
            Row {
                measure: format!(
                    "update command p95: {}-event stream vs {}-event stream",
                    thousands(l.long_len as f64),
                    l.short_len
                ),
                onelink: ms(l.long.p95),
                baseline: ms(l.short.p95),
                ratio: format!("{:.2}", l.long.p95.as_secs_f64() / l.short.p95.as_secs_f64()),
                goal: "—".into(),
            },
        ];
        for p in &r.projections {
            rows.push(Row {
                measure: format!(
                    "rebuild `{}` ({} of {} events in the log): events/s vs raw log scan rows/s",
                    p.name,
                    thousands(p.events as f64),
                    thousands(r.scan_rows as f64)
                ),
                onelink: thousands(p.events_per_second()),
                baseline: thousands(r.scan_rows_per_second()),
                ratio: format!("{:.3}", p.events_per_second() / r.scan_rows_per_second()),
                goal: format!(
                    "≥ {}/s: {}",
                    thousands(REBUILD_GOAL),
                    verdict(p.events_per_second() >= REBUILD_GOAL)
                ),
            });
        }
        rows
    }

    /// The markdown table with its header line.
    pub fn table(&self, machine: &Machine) -> String {
        let mut out = format!(
            "onelink-bench — {} — nproc {}, {} RAM, PostgreSQL {} ({})\n\n",
            machine.date, machine.nproc, machine.memory, machine.server_version, machine.cluster
        );
        out.push_str("| measure | OneLink | baseline | ratio | goal |\n");
        out.push_str("|---|---:|---:|---:|---|\n");
        for row in self.rows() {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                row.measure, row.onelink, row.baseline, row.ratio, row.goal
            ));
        }
        out
    }

    pub fn summary(&self) -> String {
        let l = &self.latency;
        let r = &self.rebuild;
        let mut lines = vec![
            format!(
                "Append: {:.1} s timed per side and concurrency, in {} alternating rounds (raw, OneLink, raw, …) \
                 each after a 0.3 s warm-up. OneLink ran `accounts::create` (id from a sequence, stream load, \
                 one-event append) on a pool configured like `onelink serve`'s; the baseline ran autocommit \
                 single-row INSERTs, one connection per writer. {} writers: {} vs {} per second ({} commands vs \
                 {} rows; {:.2}×, goal ≥ {APPEND_RATIO_GOAL}: {}). Per-round spread: 1 writer OneLink {}, raw {}; \
                 {} writers OneLink {}, raw {}.",
                self.seconds,
                self.rounds,
                self.writers,
                thousands(self.onelink_cn.per_second),
                thousands(self.raw_cn.per_second),
                thousands(self.onelink_cn.ops as f64),
                thousands(self.raw_cn.ops as f64),
                self.append_ratio_cn(),
                verdict(self.append_ratio_cn() >= APPEND_RATIO_GOAL),
                spread(&self.onelink_c1),
                spread(&self.raw_c1),
                self.writers,
                spread(&self.onelink_cn),
                spread(&self.raw_cn),
            ),
            format!(
                "Stream length: {} interleaved `accounts::update` commands per stream; long stream built by {} \
                 in {:.1} s, its snapshot at version {}. p50 {} vs {} ({:.2}×, goal ≤ {LATENCY_RATIO_GOAL}: {}).",
                l.samples,
                l.build_method,
                l.build.as_secs_f64(),
                l.long_snapshot_at
                    .map_or_else(|| "none".to_owned(), |v| v.to_string()),
                ms(l.long.p50),
                ms(l.short.p50),
                self.latency_ratio(),
                verdict(self.latency_ratio() <= LATENCY_RATIO_GOAL),
            ),
        ];
        lines.push(r.describe());
        lines.push(String::new());
        lines.join("\n")
    }
}
