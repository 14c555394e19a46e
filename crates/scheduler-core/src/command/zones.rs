//! Time zone names: IANA names (any case), the cities that end them, the contract's
//! abbreviations, `UTC`/`GMT`/`Z`, and whole-hour offsets (`UTC+2` is `Etc/GMT-2`).
//!
//! The lookup table is built once, lazily, from chrono-tz's list of zones.

use super::grammar::{GrammarError, PResult, Problem, boundary, fail};
use super::lexicon::ZONE_ABBREVIATIONS;
use super::spelling;
use chrono_tz::Tz;
use nom::Parser;
use nom::bytes::complete::{tag_no_case, take_while_m_n};
use nom::character::complete::one_of;
use nom::combinator::opt;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// A small, fast hasher for the zone table's short ASCII keys (no untrusted-input concerns:
/// the keys are fixed, and a look-up only ever misses).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

type Fast = BuildHasherDefault<KeyHasher>;

/// Longest zone name in words ("Port of Spain", "Dar es Salaam").
const MAX_WORDS: usize = 4;

/// Areas whose last component is not a city.
const NOT_CITY_AREAS: &[&str] = &[
    "Etc", "US", "Canada", "Mexico", "Brazil", "Chile", "SystemV",
];

/// Sub-areas of counties and small towns whose names are everyday words ("Center", "Salem",
/// "Knox"); their zones are still reachable by full name.
const NOT_CITY_SUBAREAS: &[&str] = &[
    "America/Indiana/",
    "America/Kentucky/",
    "America/North_Dakota/",
];

/// City names that are also everyday words: taken as a zone only after `in`, `tz`, or with
/// `time` ("3pm Christmas party" is not Indian/Christmas).
const EVERYDAY_WORDS: &[&str] = &[
    "christmas",
    "easter",
    "reunion",
    "wake",
    "midway",
    "jersey",
    "troll",
    "stanley",
    "casey",
    "davis",
    "palmer",
    "mawson",
    "vostok",
    "macquarie",
    "guernsey",
    "universal",
    "zulu",
    "eire",
    "navajo",
    "factory",
];

/// The names people give zones in speech ("pacific time", "3pm eastern", "India time"):
/// each is the IANA zone of the region, so that the offset in force on the meeting's date is
/// the one used. Alone, without a time before or `time` after, they are refused as titles
/// would be ("central planning").
pub(crate) const ZONE_WORDS: &[(&str, Tz)] = {
    use chrono_tz::{America, Asia, Pacific};
    &[
        ("pacific", America::Los_Angeles),
        ("eastern", America::New_York),
        ("central", America::Chicago),
        ("mountain", America::Denver),
        ("atlantic", America::Halifax),
        ("alaska", America::Anchorage),
        ("hawaii", Pacific::Honolulu),
        ("india", Asia::Kolkata),
    ]
};

/// When two zones end with the same city, the one people mean.
const PREFERRED: &[&str] = &["Europe/Istanbul", "Asia/Nicosia"];

pub(crate) struct Entry {
    pub zone: Tz,
    /// A plain city name that is also an everyday word.
    pub everyday: bool,
}

struct Table {
    by_key: HashMap<String, Entry, Fast>,
    /// First words of every key, to give up after one look-up on words that start no zone.
    first_words: HashSet<String, Fast>,
}

static TABLE: LazyLock<Table> = LazyLock::new(build);

fn build() -> Table {
    let mut by_key: HashMap<String, Entry, Fast> = HashMap::default();
    let mut city_source: HashMap<String, &'static str> = HashMap::new();
    for zone in chrono_tz::TZ_VARIANTS {
        let name = zone.name();
        if name == "Factory" {
            continue;
        }
        by_key.insert(
            name.to_ascii_lowercase(),
            Entry {
                zone,
                everyday: false,
            },
        );
        let Some((area, city)) = name.rsplit_once('/') else {
            continue;
        };
        let top = area.split('/').next().unwrap_or(area);
        if NOT_CITY_AREAS.contains(&top)
            || NOT_CITY_SUBAREAS.iter().any(|sub| name.starts_with(sub))
        {
            continue;
        }
        let city = city.replace('_', " ").to_ascii_lowercase();
        let better = match city_source.get(&city) {
            None => true,
            Some(previous) => prefer(name, previous),
        };
        if better {
            city_source.insert(city, name);
        }
    }
    for (city, name) in city_source {
        let zone: Tz = name.parse().expect("a name from TZ_VARIANTS");
        let everyday = EVERYDAY_WORDS.contains(&city.as_str());
        if city.contains(' ') {
            by_key
                .entry(city.replace(' ', "_"))
                .or_insert(Entry { zone, everyday });
        }
        by_key.entry(city).or_insert(Entry { zone, everyday });
    }
    for (abbreviation, zone) in ZONE_ABBREVIATIONS {
        by_key.insert(
            abbreviation.to_ascii_lowercase(),
            Entry {
                zone: *zone,
                everyday: false,
            },
        );
    }
    for (word, zone) in ZONE_WORDS {
        by_key.insert(
            (*word).into(),
            Entry {
                zone: *zone,
                everyday: false,
            },
        );
    }
    for utc in ["utc", "gmt", "z"] {
        by_key.insert(
            utc.into(),
            Entry {
                zone: Tz::UTC,
                everyday: false,
            },
        );
    }
    let first_words = by_key
        .keys()
        .map(|k| k.split(' ').next().unwrap_or(k).to_string())
        .collect();
    Table {
        by_key,
        first_words,
    }
}

/// Whether zone `a` should own a city name over zone `b`.
fn prefer(a: &str, b: &str) -> bool {
    if PREFERRED.contains(&a) {
        return true;
    }
    if PREFERRED.contains(&b) {
        return false;
    }
    // A canonical three-part name (America/Argentina/Buenos_Aires) over its old link.
    let (pa, pb) = (a.matches('/').count(), b.matches('/').count());
    pa > pb || (pa == pb && a < b)
}

/// The zone a complete name denotes: IANA name, city, abbreviation or UTC (case-insensitive).
pub fn zone_named(name: &str) -> Option<Tz> {
    let key = name.trim().to_ascii_lowercase();
    TABLE.by_key.get(key.as_str()).map(|e| e.zone)
}

fn is_zone_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+')
}

/// A zone name at the start of `input`: up to four words, longest match first, then an
/// optional `time` ("new york time"). `after_time` applies the everyday-word rule.
pub(crate) fn zone(input: &str, after_time: bool) -> PResult<'_, Tz> {
    if let Some(result) = offset_zone(input) {
        return result;
    }
    // Collect up to MAX_WORDS words separated by single spaces.
    let mut ends = [0usize; MAX_WORDS];
    let mut count = 0;
    let mut pos = 0;
    let bytes = input.as_bytes();
    while count < MAX_WORDS {
        let start = pos;
        let len = input[start..]
            .find(|c: char| !is_zone_char(c))
            .unwrap_or(input.len() - start);
        if len == 0 {
            break;
        }
        pos = start + len;
        ends[count] = pos;
        count += 1;
        if bytes.get(pos) == Some(&b' ')
            && bytes.get(pos + 1).is_some_and(|b| b.is_ascii_alphabetic())
        {
            pos += 1;
        } else {
            break;
        }
    }
    if count == 0 {
        return Err(nom::Err::Error(GrammarError::at(input)));
    }
    // A keyword ("tomorrow", "with") is never a zone.
    if super::grammar::keyword(input).is_ok() {
        return Err(nom::Err::Error(GrammarError::at(input)));
    }
    let mut buf = [0u8; 64];
    let first = lower(&input[..ends[0]], &mut buf);
    if !first.is_some_and(|f| TABLE.first_words.contains(f)) {
        return Err(nom::Err::Error(GrammarError::at(input)));
    }
    for n in (1..=count).rev() {
        let candidate = &input[..ends[n - 1]];
        let Some(key) = lower(candidate, &mut buf) else {
            continue;
        };
        let Some(entry) = TABLE.by_key.get(key) else {
            continue;
        };
        let rest = &input[ends[n - 1]..];
        if boundary(rest).is_err() {
            continue;
        }
        // An optional "time" after the name: "new york time".
        let (rest, time) = match (
            nom::character::complete::space1::<&str, GrammarError<'_>>,
            tag_no_case("time"),
        )
            .parse(rest)
        {
            Ok((after, _)) if boundary(after).is_ok() => (after, true),
            _ => (rest, false),
        };
        if after_time && entry.everyday && !time {
            return Err(nom::Err::Error(GrammarError::at(input)));
        }
        return Ok((rest, entry.zone));
    }
    Err(nom::Err::Error(GrammarError::at(input)))
}

fn lower<'b>(s: &str, buf: &'b mut [u8; 64]) -> Option<&'b str> {
    let bytes = s.as_bytes();
    if bytes.len() > buf.len() || !s.is_ascii() {
        return None;
    }
    for (d, b) in buf.iter_mut().zip(bytes) {
        *d = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..bytes.len()]).ok()
}

/// `UTC+2`, `GMT-5`, `UTC+05:30`: whole hours become `Etc/GMT∓N` (the sign is inverted in
/// those names); other offsets are refused, since Webex needs a named zone.
fn offset_zone(input: &str) -> Option<PResult<'_, Tz>> {
    if !matches!(input.as_bytes().first(), Some(b'u' | b'U' | b'g' | b'G')) {
        return None;
    }
    let parsed = (
        nom::branch::alt((
            tag_no_case::<&str, &str, GrammarError<'_>>("utc"),
            tag_no_case("gmt"),
        )),
        one_of("+-−"),
        take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
        opt((
            opt(nom::character::complete::char(':')),
            take_while_m_n(2, 2, |c: char| c.is_ascii_digit()),
        )),
    )
        .parse(input);
    let Ok((rest, (_, sign, hours, minutes))) = parsed else {
        return None;
    };
    if boundary(rest).is_err() {
        return None;
    }
    let typed = &input[..input.len() - rest.len()];
    let hours: i32 = hours.parse().unwrap_or(99);
    let minutes: i32 = minutes.map_or(0, |(_, m)| m.parse().unwrap_or(99));
    let east = sign == '+';
    if minutes != 0 {
        return Some(fail(
            input,
            Problem::FractionalOffset {
                typed: typed.into(),
            },
        ));
    }
    let in_range = if east { hours <= 14 } else { hours <= 12 };
    if !in_range {
        return Some(fail(
            input,
            Problem::OffsetOutOfRange {
                typed: typed.into(),
            },
        ));
    }
    if hours == 0 {
        return Some(Ok((rest, Tz::UTC)));
    }
    let name = format!("Etc/GMT{}{}", if east { '-' } else { '+' }, hours);
    match name.parse::<Tz>() {
        Ok(zone) => Some(Ok((rest, zone))),
        Err(_) => Some(fail(
            input,
            Problem::OffsetOutOfRange {
                typed: typed.into(),
            },
        )),
    }
}

/// The nearest zone names to a misspelled one (cities and abbreviations), for a suggestion.
pub(crate) fn suggest(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if lower.len() < 4 {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for key in TABLE.by_key.keys() {
        if key.contains('_') {
            continue;
        }
        let max = if lower.len() >= 8 { 2 } else { 1 };
        if let Some(d) = spelling::distance_within(&lower, key, max)
            && best.is_none_or(|(bd, bk)| d < bd || (d == bd && key.as_str() < bk))
        {
            best = Some((d, key));
        }
    }
    best.map(|(_, key)| display_name(key))
}

/// How to write a table key back for people: the zone's IANA name for full names, title case
/// for cities.
fn display_name(key: &str) -> String {
    if let Some(entry) = TABLE.by_key.get(key)
        && (key.contains('/') || key.len() <= 4)
    {
        if key.contains('/') {
            return entry.zone.name().to_string();
        }
        return key.to_ascii_uppercase();
    }
    key.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Etc};

    fn z(text: &str) -> Option<Tz> {
        zone(text, false).ok().map(|(_, z)| z)
    }

    #[test]
    fn names_cities_abbreviations_and_offsets() {
        assert_eq!(z("europe/berlin"), Some(chrono_tz::Europe::Berlin));
        assert_eq!(z("New York"), Some(America::New_York));
        assert_eq!(z("new york time"), Some(America::New_York));
        assert_eq!(z("Sao Paulo"), Some(America::Sao_Paulo));
        assert_eq!(z("Buenos Aires"), Some(America::Argentina::Buenos_Aires));
        assert_eq!(z("PST"), Some(America::Los_Angeles));
        assert_eq!(z("IST"), Some(Asia::Kolkata));
        assert_eq!(z("UTC+2"), Some(Etc::GMTMinus2));
        assert_eq!(z("GMT-5"), Some(Etc::GMTPlus5));
        assert!(matches!(
            zone("UTC+05:30", false),
            Err(nom::Err::Failure(_))
        ));
        assert_eq!(z("Z"), Some(Tz::UTC));
        assert_eq!(z("sync"), None);
    }

    #[test]
    fn everyday_city_words_need_more_than_a_time_before_them() {
        assert!(zone("Christmas party", true).is_err());
        assert!(zone("Christmas time", true).is_ok());
        assert!(zone("Christmas", false).is_ok());
    }
}
