//! Changing a meeting: `PATCH /meetings/{id}` merges the fields it names into the meeting,
//! `PUT /meetings/{id}` (deprecated by Cisco, still answered) replaces the schedule.
//!
//! On a series either changes the whole series; a change of start, end or recurrence drops
//! its deleted and moved occurrences (Webex: "any exceptional scheduled meeting in this series
//! is cancelled"). On an occurrence id either changes that occurrence alone, as the meeting
//! document says, and refuses what Webex refuses there: `recurrence`, `integrationTags` ("he
//! cannot update it for a `scheduledMeeting`"), and a move onto or past the day of another
//! occurrence of the series (the Meetings guide's "recurring interval", error
//! `meeting.err.two_meeting_schedule_at_same_day`; days in the series' zone).

use super::gateway::Caller;
use super::meeting_access::find_host_meeting;
use super::meetings::{
    Checked, Instance, MeetingInput, MeetingSeries, MovedOccurrence, Render, check_schedule,
    render_time, require_user_scope,
};
use super::state::{ApiError, ApiResult, AppState};
use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Map, Value, json};

/// The media type the meeting document gives for PATCH's body (`PatchMeetingObject`).
const PATCH_MEDIA_TYPE: &str = "application/json-patch+json";

/// Fields a PATCH may set to `null` to clear them (the operation's description).
const NULLABLE: &[&str] = &["agenda", "recurrence", "trackingCodes", "integrationTags"];

/// How the body relates to the meeting.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    /// PUT: the body is the new schedule; what it leaves out is cleared (the password, which
    /// Webex keeps when omitted, excepted).
    Replace,
    /// PATCH: the body is merged into the meeting; what it leaves out is kept.
    Merge,
}

pub(crate) async fn put(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_write")?;
    let fields = parse_object(&body)?;
    apply(&state, &caller, &id, fields, Change::Replace)
}

/// Only `application/json-patch+json` is taken, the one media type the document lists (it
/// also lists 415 among the answers); Webex may be more lenient, which no client can rely on.
pub(crate) async fn patch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    require_user_scope(&caller, "meeting:schedules_write")?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .unwrap_or_default();
    if !media_type.eq_ignore_ascii_case(PATCH_MEDIA_TYPE) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content type '{media_type}' is not supported; use {PATCH_MEDIA_TYPE}."),
        ));
    }
    let fields = parse_object(&body)?;
    apply(&state, &caller, &id, fields, Change::Merge)
}

/// The body as a JSON object: a PATCH body is the meeting's fields, not RFC 6902 operations.
fn parse_object(body: &[u8]) -> ApiResult<Map<String, Value>> {
    match super::state::parse_body::<Value>(body)? {
        Value::Object(fields) => Ok(fields),
        _ => Err(ApiError::bad_request(
            "The request body must be a JSON object of the meeting's fields.",
        )),
    }
}

fn apply(
    state: &AppState,
    caller: &Caller,
    id: &str,
    fields: Map<String, Value>,
    change: Change,
) -> ApiResult<Json<Value>> {
    let now = state.now();
    let mut world = state.world();
    let (meeting, occurrence) = find_host_meeting(&world, caller, id)?;
    let meeting = meeting.clone();
    let updated = match occurrence {
        Some(at) => update_occurrence(&meeting, at, fields, change, now)?,
        None => update_series(&meeting, fields, change, now)?,
    };
    let Some(slot) = world.meetings.iter_mut().find(|m| m.id == meeting.id) else {
        return Err(ApiError::not_found("meeting"));
    };
    *slot = updated.clone();
    let render = Render {
        world: &world,
        site: &state.config.site_url,
        now,
    };
    Ok(Json(match occurrence {
        Some(at) => {
            let at = updated
                .instance(at.original)
                .ok_or_else(|| ApiError::not_found("meeting"))?;
            render.occurrence(&updated, at, updated.timezone)
        }
        // An update answers with the list item's schema, which has the series id.
        None => render.listed_series(&updated, updated.timezone),
    }))
}

/// What the body asks for, as a full input: for a merge, the meeting's current fields with
/// the body's on top (`null` clears); for a replacement, the body alone.
fn effective_input(
    current: Map<String, Value>,
    fields: Map<String, Value>,
    change: Change,
) -> ApiResult<MeetingInput> {
    let merged = match change {
        Change::Replace => fields
            .into_iter()
            .filter(|(key, value)| !(value.is_null() && NULLABLE.contains(&key.as_str())))
            .collect(),
        Change::Merge => {
            let mut merged = current;
            for (key, value) in fields {
                match value {
                    Value::Null if NULLABLE.contains(&key.as_str()) => {
                        merged.remove(&key);
                    }
                    Value::Null => {
                        return Err(ApiError::bad_request(format!("'{key}' cannot be null.")));
                    }
                    value => {
                        merged.insert(key, value);
                    }
                }
            }
            merged
        }
    };
    serde_json::from_value(Value::Object(merged))
        .map_err(|e| ApiError::bad_request(format!("JSON parse error: {e}")))
}

fn update_series(
    meeting: &MeetingSeries,
    fields: Map<String, Value>,
    change: Change,
    now: DateTime<Utc>,
) -> ApiResult<MeetingSeries> {
    let tags_named = fields.contains_key("integrationTags");
    let mut current = Map::new();
    current.insert("title".into(), json!(meeting.title));
    current.insert(
        "start".into(),
        json!(render_time(meeting.start, meeting.timezone)),
    );
    current.insert(
        "end".into(),
        json!(render_time(meeting.end, meeting.timezone)),
    );
    current.insert("timezone".into(), json!(meeting.timezone.name()));
    if let Some(agenda) = &meeting.agenda {
        current.insert("agenda".into(), json!(agenda));
    }
    if let Some(rule) = &meeting.recurrence {
        current.insert("recurrence".into(), json!(rule));
    }
    current.extend(meeting.options.clone());
    let input = effective_input(current, fields, change)?;
    let Checked {
        title,
        slot,
        options,
    } = check_schedule(&input, now, Some(meeting.timezone))?;
    let mut m = meeting.clone();
    let schedule_changed =
        m.start != slot.start || m.end != slot.end || m.recurrence != slot.recurrence;
    m.title = title;
    m.agenda = input.agenda;
    if let Some(password) = input.password {
        m.password = password;
    }
    m.start = slot.start;
    m.end = slot.end;
    m.timezone = slot.timezone;
    m.recurrence = slot.recurrence;
    // "An empty or null integrationTags will delete all existing integration tags": a PUT
    // that leaves them out replaces them with none; a PATCH keeps them unless it names them.
    if change == Change::Replace || tags_named {
        m.integration_tags = input.integration_tags;
    }
    m.options = match change {
        Change::Replace => options,
        Change::Merge => {
            let mut kept = meeting.options.clone();
            kept.extend(options);
            kept
        }
    };
    m.last_send_email = input.send_email.unwrap_or(true);
    if schedule_changed {
        m.deleted_occurrences.clear();
        m.moved_occurrences.clear();
    }
    Ok(m)
}

fn update_occurrence(
    meeting: &MeetingSeries,
    at: Instance,
    fields: Map<String, Value>,
    change: Change,
    now: DateTime<Utc>,
) -> ApiResult<MeetingSeries> {
    if fields.contains_key("integrationTags") {
        return Err(ApiError::bad_request(
            "'integrationTags' cannot be updated for a scheduled meeting; update its meeting \
             series instead.",
        ));
    }
    if fields.contains_key("recurrence") {
        return Err(ApiError::bad_request(
            "'recurrence' cannot be set on a scheduled meeting; update its series instead.",
        ));
    }
    let moved = meeting.moved_occurrences.get(&at.original);
    let mut current = Map::new();
    current.insert(
        "title".into(),
        json!(moved.map_or(&meeting.title, |m| &m.title)),
    );
    current.insert(
        "start".into(),
        json!(render_time(at.start, meeting.timezone)),
    );
    current.insert("end".into(), json!(render_time(at.end, meeting.timezone)));
    current.insert("timezone".into(), json!(meeting.timezone.name()));
    if let Some(agenda) = moved.map_or(meeting.agenda.as_ref(), |m| m.agenda.as_ref()) {
        current.insert("agenda".into(), json!(agenda));
    }
    let input = effective_input(current, fields, change)?;
    let Checked { title, slot, .. } = check_schedule(&input, now, Some(meeting.timezone))?;
    check_between_neighbours(meeting, at, slot.start)?;
    let mut m = meeting.clone();
    m.moved_occurrences.insert(
        at.original,
        MovedOccurrence {
            start: slot.start,
            end: slot.end,
            title,
            agenda: input.agenda,
        },
    );
    m.last_send_email = input.send_email.unwrap_or(true);
    Ok(m)
}

/// Refuses a move of the occurrence `at` to `new_start` onto or past the day of another
/// occurrence: its day must lie after the previous occurrence's and before the next one's,
/// in the series' zone. (An emulator's own reading of the rule, not the bot's.)
fn check_between_neighbours(
    meeting: &MeetingSeries,
    at: Instance,
    new_start: DateTime<Utc>,
) -> ApiResult<()> {
    let day = |t: DateTime<Utc>| t.with_timezone(&meeting.timezone).date_naive();
    let (from_day, to_day) = (day(at.start), day(new_start));
    let (low, high) = (at.start.min(new_start), at.start.max(new_start));
    let crossed: Vec<NaiveDate> = meeting
        .occurrences(low - Duration::days(2), high + Duration::days(2))
        .into_iter()
        .filter(|other| other.original != at.original)
        .map(|other| day(other.start))
        .filter(|d| (from_day < *d && *d <= to_day) || (to_day <= *d && *d < from_day))
        .collect();
    match crossed.first() {
        None => Ok(()),
        Some(other) => Err(ApiError::invalid_items(format!(
            "meeting.err.two_meeting_schedule_at_same_day: a scheduled meeting cannot be moved \
             to or beyond the day of another scheduled meeting of its series ({other})."
        ))),
    }
}
