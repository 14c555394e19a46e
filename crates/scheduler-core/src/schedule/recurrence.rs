//! Recurrence: a resolved repeat pattern, its RRULE, its description, and a date-level
//! expansion used to check Webex's occurrence limits (the tests hold it to the `rrule` crate).

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt::Write as _;

/// The RRULE frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Frequency {
    pub fn rrule_name(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }

    /// "daily", "weekly"…, as in "at most 261 weekly occurrences".
    pub fn adjective(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Yearly => "yearly",
        }
    }
}

/// A set of weekdays (bit 0 is Monday).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    pub const EMPTY: WeekdaySet = WeekdaySet(0);
    /// Monday to Friday.
    pub const WORKWEEK: WeekdaySet = WeekdaySet(0b0001_1111);
    /// Saturday and Sunday.
    pub const WEEKEND: WeekdaySet = WeekdaySet(0b0110_0000);

    pub fn single(day: Weekday) -> Self {
        WeekdaySet(1 << day.num_days_from_monday())
    }

    pub fn with(self, day: Weekday) -> Self {
        WeekdaySet(self.0 | (1 << day.num_days_from_monday()))
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The days in calendar order, Monday first.
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        (0..7u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .map(|i| Weekday::try_from(i).expect("0..7 is a weekday"))
    }

    pub fn bits(self) -> u8 {
        self.0
    }
}

impl std::fmt::Debug for WeekdaySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Which week of the month, for "the first Monday of every month".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl Nth {
    /// The position of the weekday in its month, as the RRULE writes it before the day's
    /// name (`BYDAY=2TU`, `BYDAY=-1FR`).
    pub fn setpos(self) -> i8 {
        match self {
            Nth::First => 1,
            Nth::Second => 2,
            Nth::Third => 3,
            Nth::Fourth => 4,
            Nth::Last => -1,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Nth::First => "first",
            Nth::Second => "second",
            Nth::Third => "third",
            Nth::Fourth => "fourth",
            Nth::Last => "last",
        }
    }

    /// The day in `year`/`month` that is this `weekday` of the month.
    pub fn date_in(self, year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
        match self {
            Nth::Last => {
                let last = last_day_of_month(year, month)?;
                let back = (7 + last.weekday().num_days_from_monday()
                    - weekday.num_days_from_monday())
                    % 7;
                Some(last - Duration::days(i64::from(back)))
            }
            _ => NaiveDate::from_weekday_of_month_opt(year, month, weekday, self.setpos() as u8),
        }
    }

    /// Which `Nth` a date is, counting from the start of its month (never `Last`).
    pub fn of_date(date: NaiveDate) -> Option<Nth> {
        match (date.day() - 1) / 7 {
            0 => Some(Nth::First),
            1 => Some(Nth::Second),
            2 => Some(Nth::Third),
            3 => Some(Nth::Fourth),
            _ => None,
        }
    }
}

/// What a series repeats on, fully resolved (weekly rules know their days, monthly rules their
/// day of the month), so that the RRULE never depends on what the reader infers from DTSTART.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    Daily,
    Weekly(WeekdaySet),
    MonthlyOnDay(u32),
    MonthlyOnWeekday { nth: Nth, weekday: Weekday },
    Yearly { month: u32, day: u32 },
}

impl Pattern {
    pub fn frequency(&self) -> Frequency {
        match self {
            Pattern::Daily => Frequency::Daily,
            Pattern::Weekly(_) => Frequency::Weekly,
            Pattern::MonthlyOnDay(_) | Pattern::MonthlyOnWeekday { .. } => Frequency::Monthly,
            Pattern::Yearly { .. } => Frequency::Yearly,
        }
    }

    /// Whether `date` is one of the pattern's days (ignoring the interval's phase).
    pub fn matches(&self, date: NaiveDate) -> bool {
        match *self {
            Pattern::Daily => true,
            Pattern::Weekly(days) => days.contains(date.weekday()),
            Pattern::MonthlyOnDay(day) => date.day() == day,
            Pattern::MonthlyOnWeekday { nth, weekday } => {
                nth.date_in(date.year(), date.month(), weekday) == Some(date)
            }
            Pattern::Yearly { month, day } => date.month() == month && date.day() == day,
        }
    }
}

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecurrenceEnd {
    /// An open series.
    Never,
    /// That many occurrences (RRULE `COUNT`).
    Count(u32),
    /// The last day on which a meeting may take place, and the end of that day in the
    /// meeting's zone as an instant (RRULE `UNTIL`, in UTC).
    Until {
        date: NaiveDate,
        instant: DateTime<Utc>,
    },
}

/// A repeating meeting's rule. DTSTART is always the meeting's start, which the parser makes
/// the first occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Recurrence {
    pub pattern: Pattern,
    /// Every `interval` days/weeks/months/years; at least 1.
    pub interval: u32,
    pub end: RecurrenceEnd,
}

/// The last instant of `date` in `zone` (23:59:59 wall time, or just before the next day
/// begins), in UTC: the `UNTIL` of "until <date>".
pub fn until_end_of_day(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let next = date.succ_opt().unwrap_or(date);
    // The next day's first existing instant (midnight may be skipped by a DST change).
    let mut probe = NaiveTime::MIN;
    for _ in 0..(24 * 4) {
        if let Ok(at) = super::localize(zone, next, probe) {
            return at.with_timezone(&Utc) - Duration::seconds(1);
        }
        probe += Duration::minutes(15);
    }
    next.and_time(NaiveTime::MIN).and_utc() - Duration::seconds(1)
}

impl Recurrence {
    pub fn frequency(&self) -> Frequency {
        self.pattern.frequency()
    }

    /// The rule as Webex wants it: RFC 5545 `RRULE` value without the `RRULE:` prefix and
    /// without BYHOUR/BYMINUTE/BYSECOND (the time comes from the meeting's start).
    ///
    /// Only the parts Cisco's meeting documents show are used: `FREQ`, `INTERVAL`, `COUNT`,
    /// `UNTIL`, one `BYMONTHDAY`, and `BYDAY`. "The second Tuesday" is `BYDAY=2TU`, the
    /// position inside the one day value (never `BYSETPOS`, which no Cisco document shows and
    /// which Webex's "only the first day is taken" could separate from its day). A yearly
    /// rule is plain `FREQ=YEARLY`: the date comes from the start, which is always the first
    /// occurrence, because `BYMONTH` appears in no Cisco document and `BYMONTHDAY` alone
    /// would mean that day of every month. The reasons are in docs/webex.md.
    pub fn to_rrule(&self) -> String {
        let mut out = String::with_capacity(48);
        out.push_str("FREQ=");
        out.push_str(self.frequency().rrule_name());
        if self.interval > 1 {
            let _ = write!(out, ";INTERVAL={}", self.interval);
        }
        match self.pattern {
            Pattern::Daily => {}
            Pattern::Weekly(days) => {
                out.push_str(";BYDAY=");
                push_days(&mut out, days);
            }
            Pattern::MonthlyOnDay(day) => {
                let _ = write!(out, ";BYMONTHDAY={day}");
            }
            Pattern::MonthlyOnWeekday { nth, weekday } => {
                let _ = write!(out, ";BYDAY={}{}", nth.setpos(), rrule_day(weekday));
            }
            Pattern::Yearly { .. } => {}
        }
        match self.end {
            RecurrenceEnd::Never => {}
            RecurrenceEnd::Count(n) => {
                let _ = write!(out, ";COUNT={n}");
            }
            RecurrenceEnd::Until { instant, .. } => {
                let _ = write!(out, ";UNTIL={}", instant.format("%Y%m%dT%H%M%SZ"));
            }
        }
        out
    }

    /// In words: "every other week on Tuesday, 4 times".
    pub fn describe(&self) -> String {
        let mut out = String::with_capacity(48);
        let every = |unit: &str, units: &str| -> String {
            match self.interval {
                1 => format!("every {unit}"),
                2 => format!("every other {unit}"),
                n => format!("every {n} {units}"),
            }
        };
        match self.pattern {
            Pattern::Daily => out.push_str(&every("day", "days")),
            Pattern::Weekly(days) if days == WeekdaySet::WORKWEEK && self.interval == 1 => {
                out.push_str("every weekday")
            }
            Pattern::Weekly(days) => {
                out.push_str(&every("week", "weeks"));
                out.push_str(" on ");
                out.push_str(&day_list(days));
            }
            Pattern::MonthlyOnDay(day) => {
                let _ = write!(out, "{} on the {}", every("month", "months"), ordinal(day));
            }
            Pattern::MonthlyOnWeekday { nth, weekday } => {
                let _ = write!(
                    out,
                    "{} on the {} {}",
                    every("month", "months"),
                    nth.word(),
                    weekday_name(weekday)
                );
            }
            Pattern::Yearly { month, day } => {
                let _ = write!(
                    out,
                    "{} on {} {}",
                    every("year", "years"),
                    day,
                    month_name(month)
                );
            }
        }
        match self.end {
            RecurrenceEnd::Never => {}
            RecurrenceEnd::Count(1) => out.push_str(", once"),
            RecurrenceEnd::Count(2) => out.push_str(", twice"),
            RecurrenceEnd::Count(n) => {
                let _ = write!(out, ", {n} times");
            }
            RecurrenceEnd::Until { date, .. } => {
                let _ = write!(out, ", until {}", date.format("%-d %B %Y"));
            }
        }
        out
    }

    /// The dates of the series from its first occurrence `first` (which must match the
    /// pattern), ignoring its end: a date-level expansion for limit checks.
    pub fn dates_from(&self, first: NaiveDate) -> impl Iterator<Item = NaiveDate> + use<> {
        SeriesDates::new(self.pattern, self.interval.max(1), first)
    }

    /// How many occurrences fall on or before `last`, counting at most `cap + 1`.
    pub fn count_through(&self, first: NaiveDate, last: NaiveDate, cap: u32) -> u32 {
        if last < first {
            return 0;
        }
        let interval = i64::from(self.interval.max(1));
        // Daily and weekly series are counted with arithmetic; the others are short walks.
        match self.pattern {
            Pattern::Daily => {
                let n = (last - first).num_days() / interval + 1;
                return u32::try_from(n)
                    .unwrap_or(u32::MAX)
                    .min(cap.saturating_add(1));
            }
            Pattern::Weekly(days) if !days.is_empty() => {
                let monday = |d: NaiveDate| {
                    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
                };
                let weeks = (monday(last) - monday(first)).num_weeks();
                let active_weeks = weeks / interval + 1;
                let per_week = i64::from(days.len());
                let before_first = days
                    .iter()
                    .filter(|d| d.num_days_from_monday() < first.weekday().num_days_from_monday())
                    .count() as i64;
                let after_last = if weeks % interval == 0 {
                    days.iter()
                        .filter(|d| {
                            d.num_days_from_monday() > last.weekday().num_days_from_monday()
                        })
                        .count() as i64
                } else {
                    0
                };
                let n = active_weeks * per_week - before_first - after_last;
                return u32::try_from(n.max(0))
                    .unwrap_or(u32::MAX)
                    .min(cap.saturating_add(1));
            }
            _ => {}
        }
        let mut n = 0;
        for date in self.dates_from(first) {
            if date > last || n > cap {
                break;
            }
            n += 1;
        }
        n
    }
}

/// Iterates the dates of a pattern; stops (rather than loop) if a pattern never recurs.
struct SeriesDates {
    pattern: Pattern,
    interval: u32,
    first: NaiveDate,
    /// Periods (days, weeks, months or years) since the first occurrence's period.
    period: u32,
    /// The next weekday (0 = Monday) to consider in the current week, for weekly patterns.
    day_in_week: u8,
    barren: u32,
}

impl SeriesDates {
    fn new(pattern: Pattern, interval: u32, first: NaiveDate) -> Self {
        Self {
            pattern,
            interval,
            first,
            period: 0,
            day_in_week: 0,
            barren: 0,
        }
    }
}

impl Iterator for SeriesDates {
    type Item = NaiveDate;

    fn next(&mut self) -> Option<NaiveDate> {
        // Ten years of empty periods means the pattern never recurs (e.g. February 30th).
        const MAX_BARREN: u32 = 4000;
        loop {
            if self.barren > MAX_BARREN {
                return None;
            }
            let step = self.period.checked_mul(self.interval)?;
            match self.pattern {
                Pattern::Daily => {
                    self.period += 1;
                    return self
                        .first
                        .checked_add_signed(Duration::days(i64::from(step)));
                }
                Pattern::Weekly(days) => {
                    let monday = self.first
                        - Duration::days(i64::from(self.first.weekday().num_days_from_monday()));
                    let week = monday.checked_add_signed(Duration::weeks(i64::from(step)))?;
                    while self.day_in_week < 7 {
                        let i = self.day_in_week;
                        self.day_in_week += 1;
                        let day = Weekday::try_from(i).expect("0..7 is a weekday");
                        let date = week + Duration::days(i64::from(i));
                        if days.contains(day) && date >= self.first {
                            return Some(date);
                        }
                    }
                    self.day_in_week = 0;
                    self.period += 1;
                    self.barren += 1;
                    if days.is_empty() {
                        return None;
                    }
                }
                Pattern::MonthlyOnDay(day) => {
                    self.period += 1;
                    let month = first_of_month(self.first).checked_add_months(Months::new(step))?;
                    match NaiveDate::from_ymd_opt(month.year(), month.month(), day) {
                        Some(date) => return Some(date),
                        None => self.barren += 1,
                    }
                }
                Pattern::MonthlyOnWeekday { nth, weekday } => {
                    self.period += 1;
                    let month = first_of_month(self.first).checked_add_months(Months::new(step))?;
                    match nth.date_in(month.year(), month.month(), weekday) {
                        Some(date) => return Some(date),
                        None => self.barren += 1,
                    }
                }
                Pattern::Yearly { month, day } => {
                    self.period += 1;
                    let year = self.first.year().checked_add(i32::try_from(step).ok()?)?;
                    match NaiveDate::from_ymd_opt(year, month, day) {
                        Some(date) => return Some(date),
                        None => self.barren += 1,
                    }
                }
            }
        }
    }
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

pub(crate) fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

fn push_days(out: &mut String, days: WeekdaySet) {
    for (i, day) in days.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(rrule_day(day));
    }
}

/// Monday to Sunday, the order rules and forms list days in.
pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The weekday an RRULE two-letter name (`MO`…`SU`) stands for.
pub fn weekday_from_rrule(code: &str) -> Option<Weekday> {
    WEEK.into_iter().find(|d| rrule_day(*d) == code)
}

/// The RRULE two-letter name of a weekday.
pub fn rrule_day(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

pub(crate) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

pub(crate) fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// "Monday", "Monday and Wednesday", "Monday, Wednesday and Friday".
fn day_list(days: WeekdaySet) -> String {
    let names: Vec<&str> = days.iter().map(weekday_name).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {}", rest.join(", "), last),
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 21st…
pub(crate) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn rrules_follow_the_contract_table() {
        let weekly = |days, interval, end| Recurrence {
            pattern: Pattern::Weekly(days),
            interval,
            end,
        };
        assert_eq!(
            weekly(WeekdaySet::single(Weekday::Mon), 1, RecurrenceEnd::Count(4)).to_rrule(),
            "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
        );
        assert_eq!(
            weekly(WeekdaySet::WORKWEEK, 1, RecurrenceEnd::Never).to_rrule(),
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        );
        let nth = Recurrence {
            pattern: Pattern::MonthlyOnWeekday {
                nth: Nth::Last,
                weekday: Weekday::Fri,
            },
            interval: 1,
            end: RecurrenceEnd::Never,
        };
        assert_eq!(nth.to_rrule(), "FREQ=MONTHLY;BYDAY=-1FR");
        let second = Recurrence {
            pattern: Pattern::MonthlyOnWeekday {
                nth: Nth::Second,
                weekday: Weekday::Tue,
            },
            interval: 2,
            end: RecurrenceEnd::Count(6),
        };
        assert_eq!(
            second.to_rrule(),
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6"
        );
        let yearly = Recurrence {
            pattern: Pattern::Yearly { month: 3, day: 9 },
            interval: 1,
            end: RecurrenceEnd::Count(3),
        };
        assert_eq!(
            yearly.to_rrule(),
            "FREQ=YEARLY;COUNT=3",
            "the date is the start's"
        );
        assert_eq!(nth.describe(), "every month on the last Friday");
    }

    #[test]
    fn describes_read_like_the_contract() {
        let r = Recurrence {
            pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Tue)),
            interval: 2,
            end: RecurrenceEnd::Count(4),
        };
        assert_eq!(r.describe(), "every other week on Tuesday, 4 times");
    }

    #[test]
    fn the_last_weekday_of_a_month() {
        assert_eq!(
            Nth::Last.date_in(2027, 4, Weekday::Fri),
            Some(d(2027, 4, 30))
        );
        assert_eq!(
            Nth::Last.date_in(2027, 2, Weekday::Mon),
            Some(d(2027, 2, 22))
        );
        assert_eq!(
            Nth::Second.date_in(2027, 3, Weekday::Tue),
            Some(d(2027, 3, 9))
        );
    }

    #[test]
    fn weekly_series_with_an_interval_skip_whole_weeks() {
        let r = Recurrence {
            pattern: Pattern::Weekly(WeekdaySet::single(Weekday::Mon).with(Weekday::Wed)),
            interval: 2,
            end: RecurrenceEnd::Never,
        };
        let dates: Vec<_> = r.dates_from(d(2027, 3, 31)).take(4).collect();
        assert_eq!(
            dates,
            [
                d(2027, 3, 31),
                d(2027, 4, 12),
                d(2027, 4, 14),
                d(2027, 4, 26)
            ]
        );
    }

    #[test]
    fn counting_agrees_with_walking_the_series() {
        let walk = |r: &Recurrence, first: NaiveDate, last: NaiveDate| {
            r.dates_from(first).take_while(|d| *d <= last).count() as u32
        };
        let first = d(2027, 3, 24);
        for bits in 1u8..128 {
            for interval in 1..4 {
                let days = (0..7u8)
                    .filter(|i| bits & (1 << i) != 0)
                    .map(|i| Weekday::try_from(i).unwrap())
                    .fold(WeekdaySet::EMPTY, WeekdaySet::with);
                if !days.contains(first.weekday()) {
                    continue;
                }
                let r = Recurrence {
                    pattern: Pattern::Weekly(days),
                    interval,
                    end: RecurrenceEnd::Never,
                };
                for extra in [0, 1, 5, 6, 7, 13, 20, 100, 365] {
                    let last = first + Duration::days(extra);
                    assert_eq!(
                        r.count_through(first, last, 10_000),
                        walk(&r, first, last),
                        "{days:?} /{interval} +{extra}"
                    );
                }
            }
        }
        let daily = Recurrence {
            pattern: Pattern::Daily,
            interval: 3,
            end: RecurrenceEnd::Never,
        };
        assert_eq!(
            daily.count_through(first, first + Duration::days(9), 100),
            4
        );
    }

    #[test]
    fn until_is_the_end_of_the_day_in_the_zone() {
        let at = until_end_of_day(d(2027, 6, 30), chrono_tz::Europe::Berlin);
        assert_eq!(at.format("%Y%m%dT%H%M%SZ").to_string(), "20270630T215959Z");
    }
}
