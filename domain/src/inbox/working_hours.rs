//! An inbox's weekly business hours: one entry per day of the week
//! (0 = Sunday), in the inbox's time zone.

use crate::validation::Violations;
use serde::{Deserialize, Serialize};

/// One day of the schedule, as the upstream's `weekly_schedule` shows it.
/// The hours are absent on a day closed all day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHour {
    pub day_of_week: u8,
    pub closed_all_day: bool,
    pub open_hour: Option<u8>,
    pub open_minutes: Option<u8>,
    pub close_hour: Option<u8>,
    pub close_minutes: Option<u8>,
    pub open_all_day: bool,
}

impl WorkingHour {
    fn closed(day: u8) -> Self {
        Self {
            day_of_week: day,
            closed_all_day: true,
            open_hour: None,
            open_minutes: None,
            close_hour: None,
            close_minutes: None,
            open_all_day: false,
        }
    }

    fn office(day: u8) -> Self {
        Self {
            day_of_week: day,
            closed_all_day: false,
            open_hour: Some(9),
            open_minutes: Some(0),
            close_hour: Some(17),
            close_minutes: Some(0),
            open_all_day: false,
        }
    }
}

/// A new inbox's schedule, as upstream: Monday to Friday 09:00–17:00,
/// closed on the weekend.
pub fn default_working_hours() -> Vec<WorkingHour> {
    (0..7)
        .map(|day| if day == 0 || day == 6 { WorkingHour::closed(day) } else { WorkingHour::office(day) })
        .collect()
}

/// A change to one day: the fields given replace the stored ones; for the
/// hours `Some(None)` clears a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkingHourPatch {
    pub day_of_week: Option<i64>,
    pub closed_all_day: Option<bool>,
    pub open_hour: Option<Option<i64>>,
    pub open_minutes: Option<Option<i64>>,
    pub close_hour: Option<Option<i64>>,
    pub close_minutes: Option<Option<i64>>,
    pub open_all_day: Option<bool>,
}

/// The schedule after `patches`, or every violation found.
pub fn apply_patches(
    current: &[WorkingHour],
    patches: &[WorkingHourPatch],
    v: &mut Violations,
) -> Vec<WorkingHour> {
    let mut days = current.to_vec();
    for patch in patches {
        let Some(day) = patch.day_of_week.filter(|d| (0..7).contains(d)) else {
            v.add("working_hours", "Working hours day of week must be between 0 and 6");
            continue;
        };
        let Some(entry) = days.iter_mut().find(|d| i64::from(d.day_of_week) == day) else {
            continue;
        };
        match apply_one(entry, patch) {
            Ok(updated) => *entry = updated,
            Err(message) => v.add("working_hours", format!("Working hours of day {day}: {message}")),
        }
    }
    days
}

fn apply_one(current: &WorkingHour, p: &WorkingHourPatch) -> Result<WorkingHour, String> {
    let closed_all_day = p.closed_all_day.unwrap_or(current.closed_all_day);
    let open_all_day = p.open_all_day.unwrap_or(current.open_all_day);
    if closed_all_day && open_all_day {
        return Err("open_all_day and closed_all_day cannot be true at the same time".into());
    }
    let pick = |given: Option<Option<i64>>, stored: Option<u8>, label: &str, max: i64| match given {
        None => Ok(stored),
        Some(None) => Ok(None),
        Some(Some(v)) if (0..=max).contains(&v) => Ok(u8::try_from(v).ok()),
        Some(Some(_)) => Err(format!("{label} must be between 0 and {max}")),
    };
    let mut day = WorkingHour {
        day_of_week: current.day_of_week,
        closed_all_day,
        open_all_day,
        open_hour: pick(p.open_hour, current.open_hour, "open hour", 23)?,
        open_minutes: pick(p.open_minutes, current.open_minutes, "open minutes", 59)?,
        close_hour: pick(p.close_hour, current.close_hour, "close hour", 23)?,
        close_minutes: pick(p.close_minutes, current.close_minutes, "close minutes", 59)?,
    };
    if open_all_day {
        (day.open_hour, day.open_minutes, day.close_hour, day.close_minutes) =
            (Some(0), Some(0), Some(23), Some(59));
    }
    if closed_all_day {
        return Ok(day);
    }
    let (Some(oh), Some(om), Some(ch), Some(cm)) =
        (day.open_hour, day.open_minutes, day.close_hour, day.close_minutes)
    else {
        return Err("opening and closing hours and minutes can't be blank".into());
    };
    if (oh, om) >= (ch, cm) {
        return Err("closing time cannot be before opening time".into());
    }
    Ok(day)
}
