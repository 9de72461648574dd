//! When deliveries are retried, and the delivery settings.
//!
//! The default schedule is Svix's shape with a strictly growing tail:
//! immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 8 h and 10 h later —
//! 8 attempts over 25 h 35 min (more with jitter). Each wait is stretched by
//! a random 0–20 %; the base waits grow by at least that factor, so the
//! waits actually used never shrink from one attempt to the next.

use rand::Rng;
use std::time::Duration;

/// Largest random stretch of a wait (+20 %).
pub const JITTER: f64 = 0.2;

#[derive(Debug, Clone, PartialEq)]
pub struct RetrySchedule {
    /// The wait after each failed attempt; attempts = waits + 1.
    waits: Vec<Duration>,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        const MIN: u64 = 60;
        const HOUR: u64 = 3600;
        let secs = [5, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 8 * HOUR, 10 * HOUR];
        Self { waits: secs.iter().map(|s| Duration::from_secs(*s)).collect() }
    }
}

impl RetrySchedule {
    /// Waits that grow by at least the jitter factor (so jittered waits
    /// never shrink).
    pub fn new(waits: Vec<Duration>) -> Result<Self, String> {
        for pair in waits.windows(2) {
            if pair[1].as_secs_f64() < pair[0].as_secs_f64() * (1.0 + JITTER) {
                return Err(format!(
                    "each retry wait must be at least {:.0} % longer than the one before ({:?} after {:?})",
                    JITTER * 100.0,
                    pair[1],
                    pair[0]
                ));
            }
        }
        Ok(Self { waits })
    }

    /// A comma-separated list of waits: `5s,5m,30m,2h` (`ms`, `s`, `m`, `h`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let waits = text.split(',').map(|w| parse_duration(w.trim())).collect::<Result<Vec<_>, _>>()?;
        Self::new(waits)
    }

    pub fn max_attempts(&self) -> i32 {
        self.waits.len() as i32 + 1
    }

    /// The jittered wait after failed attempt `attempt` (1-based), or
    /// `None` when that was the last attempt.
    pub fn wait_after(&self, attempt: i32) -> Option<Duration> {
        let base = *self.waits.get(usize::try_from(attempt - 1).ok()?)?;
        let stretch = rand::thread_rng().gen_range(0.0..JITTER);
        Some(base.mul_f64(1.0 + stretch))
    }

    /// The longest jittered wait (the cap of every wait).
    pub fn cap(&self) -> Duration {
        self.waits.last().map(|w| w.mul_f64(1.0 + JITTER)).unwrap_or_default()
    }

    /// Sum of the base waits: how long a message is tried at least.
    pub fn span(&self) -> Duration {
        self.waits.iter().sum()
    }
}

/// `250ms`, `5s`, `5m`, `2h`, `3d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().map_err(|_| format!("{text:?} is not a duration like 250ms, 5s, 5m, 2h"))?;
    Ok(match unit {
        "ms" => Duration::from_millis(n),
        "s" | "" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        "d" => Duration::from_secs(n * 86_400),
        _ => return Err(format!("{text:?}: unknown unit {unit:?} (ms, s, m, h, d)")),
    })
}

/// How deliveries run on a node.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    pub schedule: RetrySchedule,
    /// Per attempt: connect, send and read the answer (upstream: 5 s).
    pub timeout: Duration,
    /// Concurrent delivery workers on this node.
    pub workers: usize,
    /// Longest idle sleep of a worker (other nodes' new messages are found
    /// by polling; this node's wake the workers at once).
    pub poll_interval: Duration,
    /// An endpoint failing this long without a success is disabled when one
    /// of its messages runs out of attempts.
    pub disable_after: Duration,
    /// Finished deliveries (and their attempts) older than this are purged.
    pub retention: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            schedule: RetrySchedule::default(),
            timeout: Duration::from_secs(5),
            workers: 4,
            poll_interval: Duration::from_secs(1),
            disable_after: Duration::from_secs(5 * 86_400),
            retention: Duration::from_secs(30 * 86_400),
        }
    }
}

impl DeliveryConfig {
    /// How long a claimed message stays invisible to other workers: longer
    /// than any attempt, so it is sent again only if its worker died.
    pub fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_makes_eight_attempts_over_more_than_a_day() {
        let s = RetrySchedule::default();
        assert_eq!(s.max_attempts(), 8);
        assert!(s.span() >= Duration::from_secs(24 * 3600), "{:?}", s.span());
        assert!(RetrySchedule::new(s.waits.clone()).is_ok(), "the default grows fast enough");
        let mut last = Duration::ZERO;
        for attempt in 1..s.max_attempts() {
            let wait = s.wait_after(attempt).unwrap();
            assert!(wait >= last && wait <= s.cap(), "{attempt}: {wait:?}");
            last = wait;
        }
        assert_eq!(s.wait_after(8), None);
        assert_eq!(s.wait_after(0), None);
    }

    #[test]
    fn schedules_parse_and_must_grow() {
        let s = RetrySchedule::parse("50ms, 100ms,1s,2m").unwrap();
        assert_eq!(s.max_attempts(), 5);
        assert!(RetrySchedule::parse("1s,1s").is_err());
        assert!(RetrySchedule::parse("1x").is_err());
        assert_eq!(parse_duration("3d").unwrap(), Duration::from_secs(259_200));
    }
}
