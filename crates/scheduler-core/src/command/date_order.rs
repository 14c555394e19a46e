//! Which way round a slashed date is read (`3/4`): the order people in the person's zone's
//! region write, when that region writes one way (the United States month first; Europe,
//! Africa, Australia, New Zealand, India and Latin America day first). Elsewhere (Canada, East
//! Asia, UTC) a slashed date whose two readings are both dates is refused showing both.

use chrono_tz::Tz;

/// The order of a slashed date's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `3/4` is 3 April.
    DayFirst,
    /// `3/4` is March 4.
    MonthFirst,
}

/// United States zones (the areas of chrono-tz's `America/` that are in the US).
const MONTH_FIRST: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Juneau",
    "America/Sitka",
    "America/Yakutat",
    "America/Nome",
    "America/Metlakatla",
    "America/Adak",
    "America/Boise",
    "America/Detroit",
    "America/Menominee",
    "America/Indiana/",
    "America/Kentucky/",
    "America/North_Dakota/",
    "Pacific/Honolulu",
    "US/",
];

/// Areas and zones whose people write the day first.
const DAY_FIRST: &[&str] = &[
    "Europe/",
    "Africa/",
    "Australia/",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Asia/Calcutta",
    "Asia/Dubai",
    "America/Sao_Paulo",
    "America/Argentina/",
    "America/Buenos_Aires",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Caracas",
    "America/Montevideo",
];

/// The order people in `zone`'s region write, if they write one.
pub fn for_zone(zone: Tz) -> Option<DateOrder> {
    let name = zone.name();
    let listed = |list: &[&str]| {
        list.iter().any(|entry| {
            if entry.ends_with('/') {
                name.starts_with(entry)
            } else {
                name == *entry
            }
        })
    };
    if listed(MONTH_FIRST) {
        Some(DateOrder::MonthFirst)
    } else if listed(DAY_FIRST) {
        Some(DateOrder::DayFirst)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_that_write_one_way_and_those_that_do_not() {
        assert_eq!(
            for_zone(chrono_tz::America::New_York),
            Some(DateOrder::MonthFirst)
        );
        assert_eq!(
            for_zone(chrono_tz::America::Indiana::Indianapolis),
            Some(DateOrder::MonthFirst)
        );
        assert_eq!(
            for_zone(chrono_tz::Europe::Berlin),
            Some(DateOrder::DayFirst)
        );
        assert_eq!(
            for_zone(chrono_tz::Australia::Sydney),
            Some(DateOrder::DayFirst)
        );
        assert_eq!(for_zone(chrono_tz::America::Toronto), None);
        assert_eq!(for_zone(chrono_tz::Asia::Tokyo), None);
        assert_eq!(for_zone(chrono_tz::UTC), None);
    }
}
