//! Whose meeting it is. Webex lists and shows a meeting to its host *and* to the people
//! invited to it (`GET /meetings`: "all the recurring meeting series where the user is the
//! meeting host or an invitee to the meeting"), but only the host may change or delete it.
//!
//! The OpenAPI document names no status for a change by someone who is not the host; its 403
//! is "the request is understood, but it has been refused or access is not allowed", so the
//! emulator answers 403 to an invitee, and 404 to anyone who may not even see the meeting (as
//! for a meeting that does not exist: nothing tells a stranger it is there).

use super::gateway::Caller;
use super::meetings::{Instance, MeetingSeries, split_occurrence_id};
use super::state::{ApiError, ApiResult, World};
use axum::http::StatusCode;

/// What the caller wants to do with a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Read it: its host and its invitees may.
    Read,
    /// Change or delete it, or manage its invitees: its host alone may.
    Change,
}

/// Whether the caller hosts the meeting.
pub(crate) fn hosts(meeting: &MeetingSeries, caller: &Caller) -> bool {
    meeting.host_id == caller.person_id
}

/// Whether the caller is among the meeting's invitees (by address, as Webex invites people).
pub(crate) fn is_invited(world: &World, meeting: &MeetingSeries, caller: &Caller) -> bool {
    world.person(&caller.person_id).is_some_and(|person| {
        meeting
            .invitees
            .iter()
            .any(|i| i.email.eq_ignore_ascii_case(&person.email))
    })
}

/// Whether `GET /meetings` lists the meeting to the caller.
pub(crate) fn sees(world: &World, meeting: &MeetingSeries, caller: &Caller) -> bool {
    hosts(meeting, caller) || is_invited(world, meeting, caller)
}

/// The series (and occurrence, for an occurrence id) `id` names, if the caller may do `access`
/// to it: 404 when they cannot see it, 403 when they see it but may not change it.
pub(crate) fn find_meeting<'w>(
    world: &'w World,
    caller: &Caller,
    id: &str,
    access: Access,
) -> ApiResult<(&'w MeetingSeries, Option<Instance>)> {
    let (series_id, occurrence) = match world.meetings.iter().any(|m| m.id == id) {
        true => (id, None),
        false => split_occurrence_id(id)
            .map(|(s, at)| (s, Some(at)))
            .ok_or_else(|| ApiError::not_found("meeting"))?,
    };
    let meeting = world
        .meetings
        .iter()
        .find(|m| m.id == series_id && sees(world, m, caller))
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    if access == Access::Change && !hosts(meeting, caller) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Only the meeting host can change or delete this meeting.",
        ));
    }
    let occurrence = match occurrence {
        Some(original) => Some(
            meeting
                .instance(original)
                .ok_or_else(|| ApiError::not_found("meeting"))?,
        ),
        None => None,
    };
    Ok((meeting, occurrence))
}

/// The meeting `id` names, for its host alone (changes, deletions, invitees).
pub(crate) fn find_host_meeting<'w>(
    world: &'w World,
    caller: &Caller,
    id: &str,
) -> ApiResult<(&'w MeetingSeries, Option<Instance>)> {
    find_meeting(world, caller, id, Access::Change)
}
