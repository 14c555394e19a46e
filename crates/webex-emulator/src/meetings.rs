//! Meetings and meeting invitees: storage, the JSON Webex returns, and the endpoints.
//!
//! Bots cannot schedule (only user tokens with meeting scopes), a person sees the meetings they
//! host or are invited to and changes only those they host (`meeting_access`), and a series' occurrences have ids `<series>_<start as YYYYMMDDTHHMMSSZ>`, the
//! start being the one the pattern gave it: an occurrence keeps its id when it is moved. The
//! scheduling rules themselves live in `meeting_rules`.

use super::gateway::Caller;
use super::meeting_access::{Access, find_host_meeting, find_meeting, sees};
use super::meeting_rules::{
    Slot, generate_password, parse_time, validate_agenda, validate_options, validate_password,
    validate_slot, validate_tags, validate_title,
};
use super::rooms::Page;
use super::state::{ApiError, ApiResult, AppState, World, parse_body, parse_query};
use axum::Extension;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use rand::Rng;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

const MAX_INVITEES: usize = 1000;
const OCCURRENCE_LIMIT: u16 = 2000;

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
    /// Occurrences updated one by one, by the start the pattern gave them.
    pub moved_occurrences: BTreeMap<DateTime<Utc>, MovedOccurrence>,
    pub last_send_email: bool,
    next_invitee: u32,
}

/// What `PUT` on an occurrence's id changed for that occurrence alone.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MovedOccurrence {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    pub agenda: Option<String>,
}

/// One occurrence as it is now: `original` is where the pattern put it (and names it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Instance {
    pub original: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl MeetingSeries {
    fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// `active` while an occurrence is still to come or running, then `expired`.
    fn state_at(&self, now: DateTime<Utc>) -> &'static str {
        let later = self.occurrences_limited(now, now + Duration::days(365 * 11), 1);
        if later.is_empty() {
            "expired"
        } else {
            "active"
        }
    }

    /// Occurrences overlapping `[from, to)` where they are now, by start; deleted ones excluded.
    pub fn occurrences(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Instance> {
        self.occurrences_limited(from, to, OCCURRENCE_LIMIT)
    }

    fn occurrences_limited(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u16,
    ) -> Vec<Instance> {
        let regular = self
            .pattern_starts(from, to, limit)
            .into_iter()
            .filter(|s| !self.moved_occurrences.contains_key(s))
            .map(|s| Instance {
                original: s,
                start: s,
                end: s + self.duration(),
            });
        let moved = self
            .moved_occurrences
            .iter()
            .filter(|(original, _)| !self.deleted_occurrences.contains(original))
            .filter(|(_, m)| m.start < to && m.end > from)
            .map(|(original, m)| Instance {
                original: *original,
                start: m.start,
                end: m.end,
            });
        let mut all: Vec<Instance> = regular.chain(moved).collect();
        all.sort_by_key(|i| i.start);
        all.truncate(usize::from(limit));
        all
    }

    /// Starts the pattern gives in `[from, to)` (by overlap), deleted ones excluded.
    fn pattern_starts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u16,
    ) -> Vec<DateTime<Utc>> {
        let starts = match &self.recurrence {
            None => vec![self.start],
            Some(rule) => expand(self, rule, from - self.duration(), to, limit).unwrap_or_default(),
        };
        starts
            .into_iter()
            .filter(|s| *s < to && *s + self.duration() > from)
            .filter(|s| !self.deleted_occurrences.contains(s))
            .collect()
    }

    /// The occurrence the pattern put at `original`, wherever it is now.
    pub(crate) fn instance(&self, original: DateTime<Utc>) -> Option<Instance> {
        if self.deleted_occurrences.contains(&original) {
            return None;
        }
        if let Some(m) = self.moved_occurrences.get(&original) {
            return Some(Instance {
                original,
                start: m.start,
                end: m.end,
            });
        }
        self.pattern_starts(original, original + Duration::seconds(1), 2)
            .contains(&original)
            .then(|| Instance {
                original,
                start: original,
                end: original + self.duration(),
            })
    }
}

/// Occurrence starts of a recurring series between `after` and `before`, at most `limit`,
/// with deleted occurrences excluded before the limit applies.
fn expand(
    series: &MeetingSeries,
    rule: &str,
    after: DateTime<Utc>,
    before: DateTime<Utc>,
    limit: u16,
) -> Option<Vec<DateTime<Utc>>> {
    let rtz: rrule::Tz = series.timezone.into();
    let rrule: rrule::RRule<rrule::Unvalidated> = rule.parse().ok()?;
    let set = rrule.build(series.start.with_timezone(&rtz)).ok()?;
    let set = series
        .deleted_occurrences
        .iter()
        .fold(set, |set, at| set.exdate(at.with_timezone(&rtz)));
    let result = set
        .after(after.with_timezone(&rtz))
        .before(before.with_timezone(&rtz))
        .all(limit);
    Some(
        result
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&Utc))
            .collect(),
    )
}

pub(crate) fn render_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn digits(n: usize) -> String {
    let mut rng = rand::thread_rng();
    let first = rng.gen_range(1..10).to_string();
    first
        + &(1..n)
            .map(|_| rng.gen_range(0..10).to_string())
            .collect::<String>()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InviteeInput {
    email: Option<String>,
    display_name: Option<String>,
    #[serde(default)]
    co_host: bool,
    #[serde(default)]
    panelist: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeetingInput {
    pub(crate) title: Option<String>,
    pub(crate) agenda: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) start: Option<String>,
    pub(crate) end: Option<String>,
    pub(crate) timezone: Option<String>,
    pub(crate) recurrence: Option<String>,
    #[serde(default)]
    pub(crate) invitees: Vec<InviteeInput>,
    pub(crate) send_email: Option<bool>,
    #[serde(default)]
    pub(crate) integration_tags: Vec<String>,
    pub(crate) host_email: Option<String>,
    pub(crate) room_id: Option<String>,
    pub(crate) adhoc: Option<bool>,
    pub(crate) template_id: Option<String>,
    #[serde(flatten)]
    pub(crate) rest: Map<String, Value>,
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
pub(crate) fn require_user_scope(caller: &Caller, scope: &str) -> ApiResult<()> {
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
pub(crate) fn split_occurrence_id(id: &str) -> Option<(&str, DateTime<Utc>)> {
    let (series, stamp) = id.rsplit_once('_')?;
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .ok()?
        .and_utc();
    Some((series, at))
}

fn occurrence_id(series: &str, start: DateTime<Utc>) -> String {
    format!("{series}_{}", start.format("%Y%m%dT%H%M%SZ"))
}

/// What a meeting's JSON depends on besides the meeting: its host, the site, and "now" (states).
pub(crate) struct Render<'a> {
    pub world: &'a World,
    pub site: &'a str,
    pub now: DateTime<Utc>,
}

impl Render<'_> {
    fn common(&self, m: &MeetingSeries) -> Map<String, Value> {
        let site = self.site;
        let host = self.world.person(&m.host_id);
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

    /// A series as a list item or an update's answer, whose schema (`MeetingObjectForListMeeting`)
    /// requires a `meetingSeriesId`: here the series' own id. The examples show only
    /// occurrences there, so what Webex sends for a series is unconfirmed.
    pub(crate) fn listed_series(&self, m: &MeetingSeries, tz: Tz) -> Value {
        let mut value = self.series(m, tz);
        value["meetingSeriesId"] = json!(m.id);
        value
    }

    /// The series object, with times in `tz` (create and update use the meeting's own zone).
    /// Like Webex's examples, it has no `meetingSeriesId`, which "only applies to scheduled
    /// meeting and meeting instance" (the field's description).
    fn series(&self, m: &MeetingSeries, tz: Tz) -> Value {
        let mut obj = self.common(m);
        obj.insert("id".into(), json!(m.id));
        obj.insert("meetingType".into(), json!("meetingSeries"));
        obj.insert("state".into(), json!(m.state_at(self.now)));
        obj.insert("start".into(), json!(render_time(m.start, tz)));
        obj.insert("end".into(), json!(render_time(m.end, tz)));
        if let Some(rule) = &m.recurrence {
            obj.insert("recurrence".into(), json!(rule));
        }
        Value::Object(obj)
    }

    pub(crate) fn occurrence(&self, m: &MeetingSeries, at: Instance, tz: Tz) -> Value {
        let mut obj = self.common(m);
        let moved = m.moved_occurrences.get(&at.original);
        if let Some(moved) = moved {
            obj.insert("title".into(), json!(moved.title));
            match &moved.agenda {
                Some(agenda) => obj.insert("agenda".into(), json!(agenda)),
                None => obj.remove("agenda"),
            };
        }
        obj.insert("id".into(), json!(occurrence_id(&m.id, at.original)));
        obj.insert("meetingSeriesId".into(), json!(m.id));
        obj.insert("meetingType".into(), json!("scheduledMeeting"));
        obj.insert(
            "state".into(),
            json!(occurrence_state(at.start, at.end, self.now)),
        );
        obj.insert("isModified".into(), json!(moved.is_some()));
        obj.insert("start".into(), json!(render_time(at.start, tz)));
        obj.insert("end".into(), json!(render_time(at.end, tz)));
        Value::Object(obj)
    }
}

/// The series as create returns it and as [`super::Emulator::meetings`] shows it.
pub(crate) fn series_json(
    world: &World,
    m: &MeetingSeries,
    site: &str,
    now: DateTime<Utc>,
) -> Value {
    Render { world, site, now }.series(m, m.timezone)
}

/// Nobody joins meetings in the emulator, so an occurrence is scheduled, then ready (its slot
/// has come), then missed; it is never `inProgress` or `ended`.
fn occurrence_state(start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> &'static str {
    if now < start {
        "scheduled"
    } else if now < end {
        "ready"
    } else {
        "missed"
    }
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
        .route(
            "/v1/meetings/{id}",
            get(get_one)
                .put(super::meeting_updates::put)
                .patch(super::meeting_updates::patch)
                .delete(delete),
        )
        .route(
            "/v1/meetingInvitees",
            get(list_invitees).post(create_invitee),
        )
}

/// The parts of a create or update body that Webex's rules have accepted.
pub(crate) struct Checked {
    pub(crate) title: String,
    pub(crate) slot: Slot,
    pub(crate) options: Map<String, Value>,
}

/// The rules shared by create and update; an update keeps the meeting's zone unless it names one.
pub(crate) fn check_schedule(
    input: &MeetingInput,
    now: DateTime<Utc>,
    zone: Option<Tz>,
) -> ApiResult<Checked> {
    let title = validate_title(input.title.as_deref())?;
    validate_agenda(input.agenda.as_deref())?;
    let zone = input.timezone.as_deref().or(zone.map(|z| z.name()));
    let slot = validate_slot(
        now,
        input.start.as_deref(),
        input.end.as_deref(),
        zone,
        input.recurrence.as_deref(),
    )?;
    if let Some(password) = &input.password {
        validate_password(password)?;
    }
    validate_tags(&input.integration_tags)?;
    let options = echoed(&input.rest);
    validate_options(&options)?;
    Ok(Checked {
        title,
        slot,
        options,
    })
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
    let Checked {
        title,
        slot,
        options,
    } = check_schedule(&input, now, None)?;
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
        moved_occurrences: BTreeMap::new(),
        last_send_email: input.send_email.unwrap_or(true),
        next_invitee,
    };
    let json = series_json(&world, &meeting, &state.config.site_url, now);
    world.meetings.push(meeting);
    Ok(Json(json))
}

async fn get_one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_read")?;
    let world = state.world();
    let (meeting, occurrence) = find_meeting(&world, &caller, &id, Access::Read)?;
    let tz = response_zone(&headers);
    let render = Render {
        world: &world,
        site: &state.config.site_url,
        now: state.now(),
    };
    Ok(Json(match occurrence {
        Some(at) => render.occurrence(meeting, at, tz),
        None => render.series(meeting, tz),
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
    let render = Render {
        world: &world,
        site: &state.config.site_url,
        now: state.now(),
    };
    let mine = world
        .meetings
        .iter()
        .filter(|m| sees(&world, m, &caller))
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
            .map(|m| render.listed_series(m, tz))
            .collect(),
        (None, "meetingSeries") => mine
            .filter(|m| !m.occurrences(from, to).is_empty())
            .map(|m| render.listed_series(m, tz))
            .collect(),
        (None, "scheduledMeeting") => {
            let mut occurrences: Vec<(DateTime<Utc>, Value)> = mine
                .flat_map(|m| m.occurrences(from, to).into_iter().map(move |at| (at, m)))
                .map(|(at, m)| (at.start, render.occurrence(m, at, tz)))
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
    let items: Vec<Value> = match query.get("state") {
        Some(wanted) => items
            .into_iter()
            .filter(|m| m["state"] == wanted.as_str())
            .collect(),
        None => items,
    };
    let headers = page.link_header(&state.base, "v1/meetings", &query, items.len());
    Ok((headers, Json(json!({ "items": page.slice(&items) }))))
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
                m.moved_occurrences.remove(&at.original);
                m.deleted_occurrences.push(at.original);
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
    use chrono::TimeZone;

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
