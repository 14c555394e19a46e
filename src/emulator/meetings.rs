//! Meetings and meeting invitees, with Webex's scheduling rules.
//!
//! The rules come from the OpenAPI description of `CreateMeetingObject` and the Meetings guide:
//! `start` is truncated to the minute (the current minute becomes the next one) and may not be in
//! the past, a meeting lasts 10 minutes to 23 h 59 min, `timezone` is an IANA name defaulting to
//! UTC, recurrence is an RRULE without the `RRULE:` prefix (monthly/yearly rules keep only their
//! first day), `integrationTags` are at most 3 of at most 64 characters, bots cannot schedule,
//! and a user may create 100 meetings per 24 hours, failed attempts included.

use super::gateway::Caller;
use super::rooms::Page;
use super::state::{ApiError, ApiResult, AppState, World, parse_body, parse_query};
use axum::Extension;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::Rng;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};

const MIN_DURATION_MINUTES: i64 = 10;
const MAX_DURATION_MINUTES: i64 = 23 * 60 + 59;
const MAX_TITLE_CHARS: usize = 128;
const MAX_AGENDA_CHARS: usize = 1300;
const MAX_TAGS: usize = 3;
const MAX_TAG_CHARS: usize = 64;
const MAX_INVITEES: usize = 1000;
const OCCURRENCE_LIMIT: u16 = 2000;
/// Webex password rules are site settings; the emulator's site asks for 4 to 32 characters,
/// no whitespace, and at least one letter and one digit (a common site policy).
const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 4..=32;

/// Options echoed back verbatim when the client sets them.
const ECHOED_OPTIONS: &[&str] = &[
    "enabledAutoRecordMeeting",
    "allowAnyUserToBeCoHost",
    "enabledJoinBeforeHost",
    "enableConnectAudioBeforeHost",
    "joinBeforeHostMinutes",
    "excludePassword",
    "publicMeeting",
    "reminderTime",
    "unlockedMeetingJoinSecurity",
    "enableAutomaticLock",
    "automaticLockMinutes",
    "allowFirstUserToBeCoHost",
    "allowAuthenticatedDevices",
    "meetingOptions",
    "attendeePrivileges",
    "requireAttendeeLogin",
    "restrictToInvitees",
];

#[derive(Debug, Clone)]
pub(crate) struct Invitee {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub co_host: bool,
    pub panelist: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct MeetingSeries {
    pub id: String,
    pub meeting_number: String,
    pub title: String,
    pub agenda: Option<String>,
    pub password: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub timezone: Tz,
    pub recurrence: Option<String>,
    pub host_id: String,
    pub host_key: String,
    pub invitees: Vec<Invitee>,
    pub integration_tags: Vec<String>,
    pub options: Map<String, Value>,
    /// Starts of deleted occurrences.
    pub deleted_occurrences: Vec<DateTime<Utc>>,
    pub last_send_email: bool,
    next_invitee: u32,
}

impl MeetingSeries {
    fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// Starts of occurrences overlapping `[from, to)`, deleted ones excluded.
    pub fn occurrences(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let starts = match &self.recurrence {
            None => vec![self.start],
            Some(rule) => expand(rule, self.start, self.timezone, from - self.duration(), to)
                .unwrap_or_default(),
        };
        starts
            .into_iter()
            .filter(|s| *s < to && *s + self.duration() > from)
            .filter(|s| !self.deleted_occurrences.contains(s))
            .collect()
    }
}

/// Creation attempts per user, for the 24-hour quota.
#[derive(Debug, Clone, Default)]
pub(crate) struct QuotaLedger {
    attempts: HashMap<String, VecDeque<DateTime<Utc>>>,
}

impl QuotaLedger {
    /// Counts an attempt, or says how many seconds until the oldest one leaves the window.
    fn admit(&mut self, person: &str, now: DateTime<Utc>, quota: u32) -> Result<(), u64> {
        let attempts = self.attempts.entry(person.to_string()).or_default();
        while attempts
            .front()
            .is_some_and(|t| now - *t >= Duration::hours(24))
        {
            attempts.pop_front();
        }
        if attempts.len() >= quota as usize {
            let oldest = attempts.front().copied().unwrap_or(now);
            return Err((oldest + Duration::hours(24) - now).num_seconds().max(1) as u64);
        }
        attempts.push_back(now);
        Ok(())
    }
}

fn expand(
    rule: &str,
    start: DateTime<Utc>,
    tz: Tz,
    after: DateTime<Utc>,
    before: DateTime<Utc>,
) -> Option<Vec<DateTime<Utc>>> {
    let rtz: rrule::Tz = tz.into();
    let rrule: rrule::RRule<rrule::Unvalidated> = rule.parse().ok()?;
    let set = rrule.build(start.with_timezone(&rtz)).ok()?;
    let result = set
        .after(after.with_timezone(&rtz))
        .before(before.with_timezone(&rtz))
        .all(OCCURRENCE_LIMIT);
    Some(
        result
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&Utc))
            .collect(),
    )
}

/// The instant a client meant by a Webex time string: RFC 3339 with an offset, or a local wall
/// time (`T` or space separated) read in the meeting's zone.
pub(crate) fn parse_time(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .and_then(|naive| tz.from_local_datetime(&naive).earliest())
    .map(|at| at.with_timezone(&Utc))
}

fn truncate_to_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

fn render_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_timezone(raw: Option<&str>) -> ApiResult<Tz> {
    match raw {
        None => Ok(Tz::UTC),
        Some(name) => name.parse::<Tz>().map_err(|_| {
            ApiError::bad_request(format!(
                "Invalid timezone '{name}'. Use an IANA time zone name."
            ))
        }),
    }
}

/// The validated time slot of a meeting.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub timezone: Tz,
    pub recurrence: Option<String>,
}

pub(crate) fn validate_slot(
    now: DateTime<Utc>,
    start: Option<&str>,
    end: Option<&str>,
    timezone: Option<&str>,
    recurrence: Option<&str>,
) -> ApiResult<Slot> {
    let timezone = parse_timezone(timezone)?;
    let (Some(start_raw), Some(end_raw)) = (start, end) else {
        return Err(ApiError::bad_request(
            "Parameters 'start' and 'end' are required.",
        ));
    };
    let start = parse_time(start_raw, timezone).ok_or_else(|| {
        ApiError::bad_request(format!("Invalid start '{start_raw}'; use ISO 8601."))
    })?;
    let end = parse_time(end_raw, timezone)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid end '{end_raw}'; use ISO 8601.")))?;
    let this_minute = truncate_to_minute(now);
    let mut start = truncate_to_minute(start);
    let end = truncate_to_minute(end);
    if start < this_minute || end < this_minute {
        return Err(ApiError::bad_request(
            "Parameter 'start' or 'end' is before current time.",
        ));
    }
    if start == this_minute {
        start += Duration::minutes(1);
    }
    if end <= start {
        return Err(ApiError::bad_request(
            "Parameter 'end' must be after 'start'.",
        ));
    }
    let minutes = (end - start).num_minutes();
    if !(MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&minutes) {
        return Err(ApiError::bad_request(
            "The duration of a meeting must be at least 10 minutes and at most 23 hours 59 minutes.",
        ));
    }
    if start >= now + Duration::days(365 * 10) {
        return Err(ApiError::bad_request(
            "Cannot schedule a meeting 10 years or more in the future.",
        ));
    }
    let recurrence = recurrence
        .map(|rule| validate_recurrence(rule, start, timezone, now))
        .transpose()?;
    Ok(Slot {
        start,
        end,
        timezone,
        recurrence,
    })
}

/// Checks an RRULE the way Webex documents it and returns the rule Webex would store
/// (monthly and yearly rules keep only their first BYDAY/BYMONTHDAY value).
pub(crate) fn validate_recurrence(
    rule: &str,
    start: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let invalid =
        |why: &str| ApiError::bad_request(format!("Invalid recurrence rule '{rule}': {why}."));
    if rule.to_ascii_uppercase().starts_with("RRULE:") {
        return Err(invalid("omit the 'RRULE:' prefix"));
    }
    let mut parts: Vec<(String, String)> = Vec::new();
    for part in rule.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| invalid("expected KEY=VALUE parts"))?;
        let key = key.to_ascii_uppercase();
        if ![
            "FREQ",
            "INTERVAL",
            "COUNT",
            "UNTIL",
            "BYDAY",
            "BYMONTHDAY",
            "BYMONTH",
            "BYSETPOS",
            "WKST",
        ]
        .contains(&key.as_str())
        {
            return Err(invalid(&format!("unsupported part {key}")));
        }
        if parts.iter().any(|(k, _)| *k == key) {
            return Err(invalid(&format!("{key} appears twice")));
        }
        parts.push((key, value.to_string()));
    }
    let get = |key: &str| {
        parts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let freq = get("FREQ")
        .ok_or_else(|| invalid("FREQ is required"))?
        .to_ascii_uppercase();
    let max_count = match freq.as_str() {
        "DAILY" => 1826,
        "WEEKLY" => 261,
        "MONTHLY" => 60,
        "YEARLY" => 5,
        _ => return Err(invalid("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")),
    };
    if let Some(interval) = get("INTERVAL") {
        interval
            .parse::<u32>()
            .ok()
            .filter(|i| *i >= 1)
            .ok_or_else(|| invalid("INTERVAL must be a positive integer"))?;
    }
    if get("COUNT").is_some() && get("UNTIL").is_some() {
        return Err(invalid("COUNT and UNTIL are mutually exclusive"));
    }
    if let Some(count) = get("COUNT") {
        let count: u32 = count
            .parse()
            .ok()
            .filter(|c| *c >= 1)
            .ok_or_else(|| invalid("COUNT must be a positive integer"))?;
        if count > max_count {
            return Err(invalid(&format!(
                "at most {max_count} occurrences for {freq}"
            )));
        }
    }
    if let Some(until) = get("UNTIL") {
        let until =
            parse_until(until).ok_or_else(|| invalid("UNTIL must look like 20270101T000000Z"))?;
        if until < start {
            return Err(invalid("UNTIL is before start"));
        }
        if until > now + Duration::days(5 * 365 + 1) {
            return Err(invalid("UNTIL is more than 5 years away"));
        }
    }
    let normalised = parts
        .iter()
        .map(|(key, value)| {
            let keep_first =
                (freq == "MONTHLY" || freq == "YEARLY") && (key == "BYDAY" || key == "BYMONTHDAY");
            let value = if keep_first {
                value.split(',').next().unwrap_or(value)
            } else {
                value
            };
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(";");
    let parsed: rrule::RRule<rrule::Unvalidated> =
        normalised.parse().map_err(|e| invalid(&format!("{e}")))?;
    let rtz: rrule::Tz = tz.into();
    parsed
        .validate(start.with_timezone(&rtz))
        .map_err(|e| invalid(&format!("{e}")))?;
    Ok(normalised)
}

fn parse_until(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%SZ") {
        return Some(at.and_utc());
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y%m%d")
        .ok()?
        .and_hms_opt(23, 59, 59)
        .map(|at| at.and_utc())
}

fn validate_password(password: &str) -> ApiResult<()> {
    let ok = PASSWORD_CHARS.contains(&password.chars().count())
        && !password.chars().any(char::is_whitespace)
        && password.chars().any(|c| c.is_ascii_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "Password does not conform to the site's password complexity settings: 4 to 32 characters, \
             no spaces, at least one letter and one digit.",
        ))
    }
}

fn generate_password() -> String {
    let mut rng = rand::thread_rng();
    let letters: String = (0..5)
        .map(|i| {
            let base = if i % 2 == 0 { b'A' } else { b'a' };
            (base + rng.gen_range(0..26)) as char
        })
        .collect();
    format!("{letters}@{:02}", rng.gen_range(10..100))
}

fn digits(n: usize) -> String {
    let mut rng = rand::thread_rng();
    let first = rng.gen_range(1..10).to_string();
    first
        + &(1..n)
            .map(|_| rng.gen_range(0..10).to_string())
            .collect::<String>()
}

fn validate_title(title: Option<&str>) -> ApiResult<String> {
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::bad_request("Parameter 'title' is required."))?;
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::bad_request(format!(
            "Parameter 'title' exceeds {MAX_TITLE_CHARS} characters."
        )));
    }
    Ok(title.to_string())
}

fn validate_agenda(agenda: Option<&str>) -> ApiResult<()> {
    if agenda.is_some_and(|a| a.chars().count() > MAX_AGENDA_CHARS) {
        return Err(ApiError::bad_request(format!(
            "Parameter 'agenda' exceeds {MAX_AGENDA_CHARS} characters."
        )));
    }
    Ok(())
}

fn validate_tags(tags: &[String]) -> ApiResult<()> {
    if tags.len() > MAX_TAGS {
        return Err(ApiError::bad_request(format!(
            "At most {MAX_TAGS} integrationTags are allowed."
        )));
    }
    if tags
        .iter()
        .any(|t| t.chars().count() > MAX_TAG_CHARS || t.is_empty())
    {
        return Err(ApiError::bad_request(format!(
            "Each integrationTag must have 1 to {MAX_TAG_CHARS} characters."
        )));
    }
    Ok(())
}

fn validate_options(options: &Map<String, Value>) -> ApiResult<()> {
    if let Some(minutes) = options.get("joinBeforeHostMinutes")
        && ![0, 5, 10, 15].contains(&minutes.as_i64().unwrap_or(-1))
    {
        return Err(ApiError::bad_request(
            "joinBeforeHostMinutes must be 0, 5, 10 or 15.",
        ));
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InviteeInput {
    email: Option<String>,
    display_name: Option<String>,
    #[serde(default)]
    co_host: bool,
    #[serde(default)]
    panelist: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MeetingInput {
    title: Option<String>,
    agenda: Option<String>,
    password: Option<String>,
    start: Option<String>,
    end: Option<String>,
    timezone: Option<String>,
    recurrence: Option<String>,
    #[serde(default)]
    invitees: Vec<InviteeInput>,
    send_email: Option<bool>,
    #[serde(default)]
    integration_tags: Vec<String>,
    host_email: Option<String>,
    room_id: Option<String>,
    adhoc: Option<bool>,
    template_id: Option<String>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

fn echoed(rest: &Map<String, Value>) -> Map<String, Value> {
    rest.iter()
        .filter(|(k, _)| ECHOED_OPTIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn validate_invitees(
    invitees: Vec<InviteeInput>,
    series_id: &str,
    first: u32,
) -> ApiResult<Vec<Invitee>> {
    if invitees.len() > MAX_INVITEES {
        return Err(ApiError::bad_request(format!(
            "At most {MAX_INVITEES} invitees are allowed."
        )));
    }
    let mut out: Vec<Invitee> = Vec::new();
    for (n, invitee) in invitees.into_iter().enumerate() {
        let email = invitee
            .email
            .filter(|e| e.contains('@') && !e.contains(char::is_whitespace))
            .ok_or_else(|| ApiError::bad_request("Each invitee needs a valid 'email'."))?;
        let display_name = invitee.display_name.unwrap_or_else(|| email.clone());
        if display_name.chars().count() > 128 {
            return Err(ApiError::bad_request(
                "Invitee displayName exceeds 128 characters.",
            ));
        }
        if out.iter().any(|i| i.email.eq_ignore_ascii_case(&email)) {
            continue;
        }
        out.push(Invitee {
            id: format!("{series_id}_{}", first + n as u32),
            email,
            display_name,
            co_host: invitee.co_host,
            panelist: invitee.panelist,
        });
    }
    Ok(out)
}

/// Who may schedule: a user token (never a bot) with the needed scope.
fn require_user_scope(caller: &Caller, scope: &str) -> ApiResult<()> {
    if caller.is_bot {
        return Err(ApiError::forbidden(
            "Bots cannot use the Meetings API; use the user's integration token.",
        ));
    }
    let admin = scope.replace("schedules", "admin_schedule");
    if !caller.has_scope(scope) && !caller.has_scope(&admin) {
        return Err(ApiError::forbidden(format!(
            "The access token lacks the scope {scope}."
        )));
    }
    Ok(())
}

fn check_host_email(world: &World, caller: &Caller, host_email: Option<&str>) -> ApiResult<()> {
    let own = world
        .person(&caller.person_id)
        .map(|p| p.email.clone())
        .unwrap_or_default();
    match host_email {
        Some(email)
            if !email.eq_ignore_ascii_case(&own)
                && !caller.has_scope("meeting:admin_schedule_write") =>
        {
            Err(ApiError::forbidden("hostEmail requires an admin scope."))
        }
        _ => Ok(()),
    }
}

/// Splits `SERIES_20270301T090000Z` into the series id and the occurrence start.
fn split_occurrence_id(id: &str) -> Option<(&str, DateTime<Utc>)> {
    let (series, stamp) = id.rsplit_once('_')?;
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .ok()?
        .and_utc();
    Some((series, at))
}

fn occurrence_id(series: &str, start: DateTime<Utc>) -> String {
    format!("{series}_{}", start.format("%Y%m%dT%H%M%SZ"))
}

fn common_json(world: &World, m: &MeetingSeries, site: &str) -> Map<String, Value> {
    let host = world.person(&m.host_id);
    let mut value = json!({
        "meetingNumber": m.meeting_number,
        "title": m.title,
        "password": m.password,
        "phoneAndVideoSystemPassword": format!("{:0>8}", &m.meeting_number[..m.meeting_number.len().min(8)]),
        "timezone": m.timezone.name(),
        "hostUserId": m.host_id,
        "hostDisplayName": host.map(|h| h.display_name.clone()).unwrap_or_default(),
        "hostEmail": host.map(|h| h.email.clone()).unwrap_or_default(),
        "hostKey": m.host_key,
        "siteUrl": site,
        "webLink": format!("https://{site}/{}/j.php?MTID=m{}", site.split('.').next().unwrap_or("meet"), m.id),
        "sipAddress": format!("{}@{site}", m.meeting_number),
        "dialInIpAddress": "192.0.2.10",
        "scheduledType": "meeting",
        "enabledBreakoutSessions": false,
        "telephony": {
            "accessCode": m.meeting_number,
            "callInNumbers": [
                {"label": "Emulated Toll", "callInNumber": "+1-555-0100", "tollType": "toll"},
                {"label": "Emulated Toll Free", "callInNumber": "+1-555-0101", "tollType": "tollFree"}
            ],
            "links": [{"rel": "globalCallinNumbers", "href": format!("/v1/meetings/{}/globalCallinNumbers", m.id), "method": "GET"}]
        },
    });
    let obj = value.as_object_mut().expect("literal object");
    if let Some(agenda) = &m.agenda {
        obj.insert("agenda".into(), json!(agenda));
    }
    if !m.integration_tags.is_empty() {
        obj.insert("integrationTags".into(), json!(m.integration_tags));
    }
    obj.extend(m.options.clone());
    obj.clone()
}

/// The series object, times in the meeting's own zone (as create returns them).
pub(crate) fn series_json(world: &World, m: &MeetingSeries, site: &str) -> Value {
    series_json_in(world, m, site, m.timezone)
}

fn series_json_in(world: &World, m: &MeetingSeries, site: &str, tz: Tz) -> Value {
    let mut obj = common_json(world, m, site);
    obj.insert("id".into(), json!(m.id));
    obj.insert("meetingSeriesId".into(), json!(m.id));
    obj.insert("meetingType".into(), json!("meetingSeries"));
    obj.insert("state".into(), json!("active"));
    obj.insert("start".into(), json!(render_time(m.start, tz)));
    obj.insert("end".into(), json!(render_time(m.end, tz)));
    if let Some(rule) = &m.recurrence {
        obj.insert("recurrence".into(), json!(rule));
    }
    Value::Object(obj)
}

fn occurrence_json(
    world: &World,
    m: &MeetingSeries,
    site: &str,
    start: DateTime<Utc>,
    tz: Tz,
) -> Value {
    let mut obj = common_json(world, m, site);
    obj.insert("id".into(), json!(occurrence_id(&m.id, start)));
    obj.insert("meetingSeriesId".into(), json!(m.id));
    obj.insert("meetingType".into(), json!("scheduledMeeting"));
    obj.insert("state".into(), json!("scheduled"));
    obj.insert("isModified".into(), json!(false));
    obj.insert("start".into(), json!(render_time(start, tz)));
    obj.insert("end".into(), json!(render_time(start + m.duration(), tz)));
    Value::Object(obj)
}

/// GET and list answer in the zone named by the `timezone` request header, else UTC.
fn response_zone(headers: &HeaderMap) -> Tz {
    headers
        .get("timezone")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(Tz::UTC)
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/meetings", get(list).post(create))
        .route("/v1/meetings/{id}", get(get_one).put(update).delete(delete))
        .route(
            "/v1/meetingInvitees",
            get(list_invitees).post(create_invitee),
        )
}

async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_write")?;
    let now = state.now();
    let quota = state.config.meetings_per_day_quota;
    if let Err(retry_after) = state
        .world()
        .meeting_quota
        .admit(&caller.person_id, now, quota)
    {
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("You have reached the limit of {quota} meetings created in 24 hours."),
        );
        error.retry_after_secs = Some(retry_after);
        return Err(error);
    }
    let input: MeetingInput = parse_body(&body)?;
    if input.adhoc == Some(true) || input.template_id.is_some() {
        return Err(ApiError::bad_request(
            "The emulator does not support ad-hoc or template meetings.",
        ));
    }
    let title = validate_title(input.title.as_deref())?;
    validate_agenda(input.agenda.as_deref())?;
    let slot = validate_slot(
        now,
        input.start.as_deref(),
        input.end.as_deref(),
        input.timezone.as_deref(),
        input.recurrence.as_deref(),
    )?;
    if let Some(password) = &input.password {
        validate_password(password)?;
    }
    validate_tags(&input.integration_tags)?;
    let options = echoed(&input.rest);
    validate_options(&options)?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let invitees = validate_invitees(input.invitees, &id, 1)?;
    let mut world = state.world();
    check_host_email(&world, &caller, input.host_email.as_deref())?;
    if let Some(room_id) = &input.room_id {
        if !caller.has_scope("spark:all") {
            return Err(ApiError::forbidden(
                "Creating a meeting in a room requires the spark:all scope.",
            ));
        }
        if !world.is_member(room_id, &caller.person_id) {
            return Err(ApiError::not_found("room"));
        }
    }
    let next_invitee = invitees.len() as u32 + 1;
    let meeting = MeetingSeries {
        id,
        meeting_number: digits(10),
        title,
        agenda: input.agenda,
        password: input.password.unwrap_or_else(generate_password),
        start: slot.start,
        end: slot.end,
        timezone: slot.timezone,
        recurrence: slot.recurrence,
        host_id: caller.person_id.clone(),
        host_key: digits(6),
        invitees,
        integration_tags: input.integration_tags,
        options,
        deleted_occurrences: Vec::new(),
        last_send_email: input.send_email.unwrap_or(true),
        next_invitee,
    };
    let json = series_json(&world, &meeting, &state.config.site_url);
    world.meetings.push(meeting);
    Ok(Json(json))
}

fn find_host_meeting<'w>(
    world: &'w World,
    caller: &Caller,
    id: &str,
) -> ApiResult<(&'w MeetingSeries, Option<DateTime<Utc>>)> {
    let (series_id, occurrence) = match world.meetings.iter().any(|m| m.id == id) {
        true => (id, None),
        false => split_occurrence_id(id)
            .map(|(s, at)| (s, Some(at)))
            .ok_or_else(|| ApiError::not_found("meeting"))?,
    };
    let meeting = world
        .meetings
        .iter()
        .find(|m| m.id == series_id && m.host_id == caller.person_id)
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    if let Some(at) = occurrence {
        let exists = meeting
            .occurrences(at, at + Duration::seconds(1))
            .contains(&at);
        if !exists {
            return Err(ApiError::not_found("meeting"));
        }
    }
    Ok((meeting, occurrence))
}

async fn get_one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_read")?;
    let world = state.world();
    let (meeting, occurrence) = find_host_meeting(&world, &caller, &id)?;
    let tz = response_zone(&headers);
    let site = &state.config.site_url;
    Ok(Json(match occurrence {
        Some(at) => occurrence_json(&world, meeting, site, at, tz),
        None => series_json_in(&world, meeting, site, tz),
    }))
}

fn window(
    query: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |key: &str| -> ApiResult<Option<DateTime<Utc>>> {
        query
            .get(key)
            .map(|raw| {
                parse_time(raw, Tz::UTC)
                    .ok_or_else(|| ApiError::bad_request(format!("Invalid '{key}': {raw}")))
            })
            .transpose()
    };
    let week = Duration::days(7);
    let (from, to) = match (parse("from")?, parse("to")?) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from + week),
        (None, Some(to)) => (to - week, to),
        (None, None) => (now, now + week),
    };
    if from > to {
        return Err(ApiError::bad_request("'from' cannot be after 'to'."));
    }
    Ok((from, to))
}

async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    require_user_scope(&caller, "meeting:schedules_read")?;
    let query = parse_query(raw.as_deref());
    let page = Page::from_query(&query, 10)?;
    let page = Page {
        max: page.max.min(100),
        ..page
    };
    let tz = response_zone(&headers);
    let (from, to) = window(&query, state.now())?;
    let meeting_type = query
        .get("meetingType")
        .map_or("meetingSeries", String::as_str);
    let world = state.world();
    let site = &state.config.site_url;
    let mine = world
        .meetings
        .iter()
        .filter(|m| m.host_id == caller.person_id)
        .filter(|m| {
            query
                .get("integrationTag")
                .is_none_or(|tag| m.integration_tags.contains(tag))
        })
        .filter(|m| query.get("meetingSeriesId").is_none_or(|id| &m.id == id));
    let by_number = query.get("meetingNumber");
    let items: Vec<Value> = match (by_number, meeting_type) {
        (Some(number), _) => mine
            .filter(|m| &m.meeting_number == number)
            .map(|m| series_json_in(&world, m, site, tz))
            .collect(),
        (None, "meetingSeries") => mine
            .filter(|m| !m.occurrences(from, to).is_empty())
            .map(|m| series_json_in(&world, m, site, tz))
            .collect(),
        (None, "scheduledMeeting") => {
            let mut occurrences: Vec<(DateTime<Utc>, Value)> = mine
                .flat_map(|m| m.occurrences(from, to).into_iter().map(move |at| (at, m)))
                .map(|(at, m)| (at, occurrence_json(&world, m, site, at, tz)))
                .collect();
            occurrences.sort_by_key(|(at, _)| *at);
            occurrences.into_iter().map(|(_, v)| v).collect()
        }
        (None, "meeting") => Vec::new(),
        (None, other) => {
            return Err(ApiError::bad_request(format!(
                "Invalid meetingType '{other}'."
            )));
        }
    };
    let headers = page.link_header(&state.base, "v1/meetings", &query, items.len());
    Ok((headers, Json(json!({ "items": page.slice(&items) }))))
}

/// `PUT` replaces the schedule: `title`, `start` and `end` are required; `password` is kept
/// when omitted. Occurrences cannot be edited one by one in the emulator.
async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_write")?;
    let input: MeetingInput = parse_body(&body)?;
    let now = state.now();
    let mut world = state.world();
    let (meeting, occurrence) = find_host_meeting(&world, &caller, &id)?;
    if occurrence.is_some() {
        return Err(ApiError::bad_request(
            "The emulator does not support updating a single occurrence.",
        ));
    }
    if meeting.start <= now && now < meeting.end && meeting.recurrence.is_none() {
        return Err(ApiError::bad_request("Meeting is in progress."));
    }
    let title = validate_title(input.title.as_deref())?;
    validate_agenda(input.agenda.as_deref())?;
    let zone = input
        .timezone
        .clone()
        .unwrap_or_else(|| meeting.timezone.name().to_string());
    let slot = validate_slot(
        now,
        input.start.as_deref(),
        input.end.as_deref(),
        Some(&zone),
        input.recurrence.as_deref(),
    )?;
    if let Some(password) = &input.password {
        validate_password(password)?;
    }
    validate_tags(&input.integration_tags)?;
    let options = echoed(&input.rest);
    validate_options(&options)?;
    let series_id = meeting.id.clone();
    let Some(meeting) = world.meetings.iter_mut().find(|m| m.id == series_id) else {
        return Err(ApiError::not_found("meeting"));
    };
    let schedule_changed = meeting.start != slot.start || meeting.recurrence != slot.recurrence;
    meeting.title = title;
    meeting.agenda = input.agenda;
    if let Some(password) = input.password {
        meeting.password = password;
    }
    meeting.start = slot.start;
    meeting.end = slot.end;
    meeting.timezone = slot.timezone;
    meeting.recurrence = slot.recurrence;
    if !input.integration_tags.is_empty() {
        meeting.integration_tags = input.integration_tags;
    }
    meeting.options.extend(options);
    meeting.last_send_email = input.send_email.unwrap_or(true);
    if schedule_changed {
        meeting.deleted_occurrences.clear();
    }
    let meeting = meeting.clone();
    Ok(Json(series_json(&world, &meeting, &state.config.site_url)))
}

async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<StatusCode> {
    require_user_scope(&caller, "meeting:schedules_write")?;
    let send_email = parse_query(raw.as_deref())
        .get("sendEmail")
        .is_none_or(|v| v != "false");
    let mut world = state.world();
    let (meeting, occurrence) = find_host_meeting(&world, &caller, &id)?;
    let series_id = meeting.id.clone();
    match occurrence {
        None => world.meetings.retain(|m| m.id != series_id),
        Some(at) => {
            if let Some(m) = world.meetings.iter_mut().find(|m| m.id == series_id) {
                m.deleted_occurrences.push(at);
                m.last_send_email = send_email;
            }
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

fn invitee_json(invitee: &Invitee, meeting_id: &str) -> Value {
    json!({
        "id": invitee.id,
        "email": invitee.email,
        "displayName": invitee.display_name,
        "coHost": invitee.co_host,
        "panelist": invitee.panelist,
        "meetingId": meeting_id,
    })
}

/// Invitees of a series or of one of its occurrences, sorted by e-mail as Webex does.
async fn list_invitees(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    require_user_scope(&caller, "meeting:schedules_read")?;
    let query = parse_query(raw.as_deref());
    let meeting_id = query
        .get("meetingId")
        .ok_or_else(|| ApiError::bad_request("Parameter 'meetingId' is required."))?;
    let page = Page::from_query(&query, 100)?;
    let page = Page {
        max: page.max.min(100),
        ..page
    };
    let world = state.world();
    let (meeting, _) = find_host_meeting(&world, &caller, meeting_id)?;
    let mut invitees: Vec<&Invitee> = meeting.invitees.iter().collect();
    invitees.sort_by_key(|i| i.email.to_lowercase());
    let items: Vec<Value> = page
        .slice(&invitees)
        .iter()
        .map(|i| invitee_json(i, meeting_id))
        .collect();
    let headers = page.link_header(&state.base, "v1/meetingInvitees", &query, invitees.len());
    Ok((headers, Json(json!({ "items": items }))))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewInvitee {
    meeting_id: Option<String>,
    #[serde(flatten)]
    invitee: InviteeInput,
    send_email: Option<bool>,
}

async fn create_invitee(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_write")?;
    let input: NewInvitee = parse_body(&body)?;
    let meeting_id = input
        .meeting_id
        .ok_or_else(|| ApiError::bad_request("Parameter 'meetingId' is required."))?;
    let mut world = state.world();
    let (meeting, _) = find_host_meeting(&world, &caller, &meeting_id)?;
    let series_id = meeting.id.clone();
    let next = meeting.next_invitee;
    let mut added = validate_invitees(vec![input.invitee], &series_id, next)?;
    let invitee = added
        .pop()
        .ok_or_else(|| ApiError::bad_request("Invitee is required."))?;
    let Some(meeting) = world.meetings.iter_mut().find(|m| m.id == series_id) else {
        return Err(ApiError::not_found("meeting"));
    };
    if meeting
        .invitees
        .iter()
        .any(|i| i.email.eq_ignore_ascii_case(&invitee.email))
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "The invitee is already invited to this meeting.",
        ));
    }
    meeting.next_invitee += 1;
    meeting.last_send_email = input.send_email.unwrap_or(true);
    meeting.invitees.push(invitee.clone());
    Ok(Json(invitee_json(&invitee, &meeting_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 8, 30, 20)
            .single()
            .expect("valid")
    }

    fn slot(start: &str, end: &str) -> ApiResult<Slot> {
        validate_slot(now(), Some(start), Some(end), Some("Europe/Berlin"), None)
    }

    #[test]
    fn start_is_truncated_and_the_current_minute_moves_to_the_next() {
        let s = slot("2027-03-01T09:30:45+01:00", "2027-03-01T10:00:00+01:00").expect("valid");
        assert_eq!(
            s.start,
            Utc.with_ymd_and_hms(2027, 3, 1, 8, 31, 0)
                .single()
                .expect("valid")
        );
        let s = slot("2027-03-01T11:00:59", "2027-03-01T11:30:00")
            .expect("local wall time in the zone");
        assert_eq!(
            s.start,
            Utc.with_ymd_and_hms(2027, 3, 1, 10, 0, 0)
                .single()
                .expect("valid")
        );
    }

    #[test]
    fn past_starts_and_bad_durations_are_refused() {
        assert!(
            slot("2027-03-01T09:29:00+01:00", "2027-03-01T10:00:00+01:00").is_err(),
            "a minute ago"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-02T09:09:00+01:00").is_err(),
            "9 minutes"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-02T09:10:00+01:00").is_ok(),
            "10 minutes"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-03T08:59:00+01:00").is_ok(),
            "23h59"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-03T09:00:00+01:00").is_err(),
            "24h"
        );
        assert!(
            slot("2027-03-02T09:00:00+01:00", "2027-03-02T08:00:00+01:00").is_err(),
            "end before start"
        );
        assert!(
            slot("2037-03-02T09:00:00+01:00", "2037-03-02T10:00:00+01:00").is_err(),
            "10 years ahead"
        );
        assert!(slot("tomorrow", "2027-03-02T10:00:00+01:00").is_err());
        assert!(validate_slot(now(), None, Some("2027-03-02T10:00:00Z"), None, None).is_err());
        assert!(
            validate_slot(
                now(),
                Some("2027-03-02T09:00:00Z"),
                Some("2027-03-02T10:00:00Z"),
                Some("CET+1"),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn timezone_defaults_to_utc_for_wall_times() {
        let s = validate_slot(
            now(),
            Some("2027-03-02 09:00:00"),
            Some("2027-03-02 10:00:00"),
            None,
            None,
        )
        .expect("valid");
        assert_eq!(s.timezone, Tz::UTC);
        assert_eq!(
            s.start,
            Utc.with_ymd_and_hms(2027, 3, 2, 9, 0, 0)
                .single()
                .expect("valid")
        );
    }

    #[test]
    fn recurrence_rules_are_checked_and_normalised() {
        let start = Utc
            .with_ymd_and_hms(2027, 3, 2, 9, 0, 0)
            .single()
            .expect("valid");
        let check = |rule: &str| validate_recurrence(rule, start, Tz::Europe__Berlin, now());
        assert_eq!(
            check("FREQ=DAILY;INTERVAL=1;COUNT=10").expect("valid"),
            "FREQ=DAILY;INTERVAL=1;COUNT=10"
        );
        assert_eq!(
            check("FREQ=WEEKLY;BYDAY=MO,WE").expect("valid"),
            "FREQ=WEEKLY;BYDAY=MO,WE"
        );
        assert_eq!(
            check("FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10,11,12").expect("valid"),
            "FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYMONTHDAY=10"
        );
        for bad in [
            "RRULE:FREQ=DAILY",
            "FREQ=HOURLY",
            "INTERVAL=2",
            "FREQ=DAILY;COUNT=1827",
            "FREQ=YEARLY;COUNT=6",
            "FREQ=DAILY;COUNT=3;UNTIL=20270401T000000Z",
            "FREQ=DAILY;UNTIL=20330401T000000Z",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=DAILY;FREQ=WEEKLY",
            "FREQ=DAILY;COLOR=blue",
        ] {
            assert!(check(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn passwords_follow_the_site_policy() {
        assert!(validate_password("abc1").is_ok());
        assert!(validate_password("ab1").is_err());
        assert!(validate_password("abcdef").is_err());
        assert!(validate_password("abc 123").is_err());
        assert!(validate_password(&"a1".repeat(17)).is_err());
        for _ in 0..20 {
            let generated = generate_password();
            assert!(validate_password(&generated).is_ok(), "{generated}");
        }
    }

    #[test]
    fn tags_are_limited_in_count_and_length() {
        assert!(validate_tags(&["a".into(), "b".into(), "c".into()]).is_ok());
        assert!(validate_tags(&["a".into(), "b".into(), "c".into(), "d".into()]).is_err());
        assert!(validate_tags(&["x".repeat(64)]).is_ok());
        assert!(validate_tags(&["x".repeat(65)]).is_err());
    }

    #[test]
    fn the_quota_counts_attempts_in_a_sliding_day() {
        let mut ledger = QuotaLedger::default();
        let t0 = now();
        assert!(ledger.admit("A", t0, 2).is_ok());
        assert!(ledger.admit("A", t0 + Duration::hours(1), 2).is_ok());
        assert_eq!(
            ledger.admit("A", t0 + Duration::hours(2), 2),
            Err(22 * 3600)
        );
        assert!(ledger.admit("B", t0, 2).is_ok(), "quotas are per user");
        assert!(ledger.admit("A", t0 + Duration::hours(24), 2).is_ok());
    }

    #[test]
    fn occurrence_ids_round_trip() {
        let at = Utc
            .with_ymd_and_hms(2027, 3, 2, 8, 0, 0)
            .single()
            .expect("valid");
        let id = occurrence_id("abc123", at);
        assert_eq!(id, "abc123_20270302T080000Z");
        assert_eq!(split_occurrence_id(&id), Some(("abc123", at)));
        assert_eq!(split_occurrence_id("abc123"), None);
    }
}
