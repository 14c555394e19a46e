//! Rooms and memberships: `GET /rooms/{id}`, `GET /memberships?roomId=` (paginated).

use super::gateway::Caller;
use super::state::{
    ApiError, ApiResult, AppState, Membership, Room, RoomKind, World, new_id, org_id, parse_query,
    timestamp,
};
use super::webhooks::Event;
use axum::Extension;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// Webex caps `max` per endpoint; the exact memberships cap is unpublished.
const MAX_PAGE: usize = 1000;

impl World {
    pub(crate) fn create_room(
        &mut self,
        title: &str,
        kind: RoomKind,
        creator_id: &str,
        now: DateTime<Utc>,
    ) -> String {
        let id = new_id("ROOM");
        self.rooms.push(Room {
            id: id.clone(),
            title: title.to_string(),
            kind,
            creator_id: creator_id.to_string(),
            created: now,
            last_activity: now,
        });
        id
    }

    /// Adds a member (once) and returns the `memberships/created` event it causes.
    pub(crate) fn add_member(
        &mut self,
        room_id: &str,
        person_id: &str,
        actor_id: &str,
        now: DateTime<Utc>,
    ) -> Option<Event> {
        if self.is_member(room_id, person_id) {
            return None;
        }
        let membership = Membership {
            id: new_id("MEMBERSHIP"),
            room_id: room_id.to_string(),
            person_id: person_id.to_string(),
            is_moderator: false,
            created: now,
        };
        let data = membership_json(self, &membership);
        self.memberships.push(membership);
        Some(Event::new(
            "memberships",
            "created",
            actor_id,
            room_id,
            data,
        ))
    }

    /// The direct room of two people, created on first use as Webex does for `toPersonId`.
    pub(crate) fn ensure_direct_room(&mut self, a: &str, b: &str, now: DateTime<Utc>) -> String {
        if let Some(room) = self.direct_room_between(a, b) {
            return room.id.clone();
        }
        let id = self.create_room("", RoomKind::Direct, a, now);
        self.add_member(&id, a, a, now);
        self.add_member(&id, b, a, now);
        id
    }
}

pub(crate) fn membership_json(world: &World, membership: &Membership) -> Value {
    let person = world.person(&membership.person_id);
    let room_type = world
        .room(&membership.room_id)
        .map_or("group", |r| r.kind.as_str());
    json!({
        "id": membership.id,
        "roomId": membership.room_id,
        "personId": membership.person_id,
        "personEmail": person.map(|p| p.email.clone()).unwrap_or_default(),
        "personDisplayName": person.map(|p| p.display_name.clone()).unwrap_or_default(),
        "personOrgId": org_id(),
        "isModerator": membership.is_moderator,
        "isMonitor": false,
        "isRoomHidden": false,
        "roomType": room_type,
        "created": timestamp(membership.created),
    })
}

/// A direct room's title, as seen by `viewer`, is the other person's name.
fn room_json(world: &World, room: &Room, viewer: &str) -> Value {
    let title = match room.kind {
        RoomKind::Group => room.title.clone(),
        RoomKind::Direct => world
            .members_of(&room.id)
            .into_iter()
            .find(|p| p.id != viewer)
            .map(|p| p.display_name.clone())
            .unwrap_or_default(),
    };
    json!({
        "id": room.id,
        "title": title,
        "type": room.kind.as_str(),
        "isLocked": false,
        "lastActivity": timestamp(room.last_activity),
        "creatorId": room.creator_id,
        "created": timestamp(room.created),
        "ownerId": org_id(),
        "isAnnouncementOnly": false,
        "isReadOnly": false,
        "isPublic": false,
    })
}

pub(crate) async fn get_room(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require("spark:rooms_read")?;
    let world = state.world();
    let room = world
        .room(&id)
        .filter(|r| world.is_member(&r.id, &caller.person_id))
        .ok_or_else(|| ApiError::not_found("room"))?;
    Ok(Json(room_json(&world, room, &caller.person_id)))
}

/// Pages are addressed by an opaque `cursor` offset in the `next` link, which clients must
/// follow verbatim rather than rebuild.
pub(crate) async fn list_memberships(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    caller.require("spark:memberships_read")?;
    let query = parse_query(raw.as_deref());
    let room_id = query
        .get("roomId")
        .ok_or_else(|| ApiError::bad_request("roomId is required for listing memberships."))?;
    let page = Page::from_query(&query, state.config.default_page_size)?;
    let world = state.world();
    if world.room(room_id).is_none() || !world.is_member(room_id, &caller.person_id) {
        return Err(ApiError::not_found("room"));
    }
    let all: Vec<&Membership> = world
        .memberships
        .iter()
        .filter(|m| &m.room_id == room_id)
        .filter(|m| query.get("personId").is_none_or(|id| &m.person_id == id))
        .filter(|m| {
            query.get("personEmail").is_none_or(|email| {
                world
                    .person(&m.person_id)
                    .is_some_and(|p| p.email.eq_ignore_ascii_case(email))
            })
        })
        .collect();
    let items: Vec<Value> = page
        .slice(&all)
        .iter()
        .map(|m| membership_json(&world, m))
        .collect();
    let headers = page.link_header(&state.base, "v1/memberships", &query, all.len());
    Ok((headers, Json(json!({ "items": items }))))
}

/// One page of a list: `max` items from `cursor`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub max: usize,
    pub cursor: usize,
}

impl Page {
    pub fn from_query(
        query: &std::collections::HashMap<String, String>,
        default: usize,
    ) -> ApiResult<Page> {
        let max = match query.get("max") {
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|m| *m > 0)
                .ok_or_else(|| ApiError::bad_request(format!("Invalid max value: {raw}")))?
                .min(MAX_PAGE),
            None => default.clamp(1, MAX_PAGE),
        };
        let cursor = match query.get("cursor") {
            Some(raw) => raw
                .parse()
                .map_err(|_| ApiError::bad_request("Invalid cursor"))?,
            None => 0,
        };
        Ok(Page { max, cursor })
    }

    pub fn slice<'a, T>(&self, all: &'a [T]) -> &'a [T] {
        let start = self.cursor.min(all.len());
        let end = (start + self.max).min(all.len());
        &all[start..end]
    }

    /// `Link: <…>; rel="next"` when more items follow, keeping the caller's other parameters.
    pub fn link_header(
        &self,
        base: &url::Url,
        path: &str,
        query: &std::collections::HashMap<String, String>,
        total: usize,
    ) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let next = self.cursor + self.max;
        if next >= total {
            return headers;
        }
        let Ok(mut url) = base.join(path) else {
            return headers;
        };
        {
            let mut pairs = url.query_pairs_mut();
            let mut keys: Vec<&String> = query
                .keys()
                .filter(|k| *k != "cursor" && *k != "max")
                .collect();
            keys.sort();
            for key in keys {
                pairs.append_pair(key, &query[key]);
            }
            pairs.append_pair("max", &self.max.to_string());
            pairs.append_pair("cursor", &next.to_string());
        }
        if let Ok(value) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
            headers.insert(header::LINK, value);
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pages_walk_the_whole_list_and_stop_linking_at_the_end() {
        let base = url::Url::parse("http://127.0.0.1:1/").expect("url");
        let items: Vec<u32> = (0..7).collect();
        let mut seen = Vec::new();
        let mut q = query(&[("roomId", "R"), ("max", "3")]);
        let mut pages = 0;
        loop {
            let page = Page::from_query(&q, 100).expect("page");
            seen.extend_from_slice(page.slice(&items));
            pages += 1;
            let headers = page.link_header(&base, "v1/memberships", &q, items.len());
            let Some(link) = headers.get(header::LINK) else {
                break;
            };
            let link = link.to_str().expect("ascii");
            assert!(link.ends_with("; rel=\"next\""), "{link}");
            let next =
                url::Url::parse(link.trim_start_matches('<').split('>').next().expect("url"))
                    .expect("url");
            assert!(next.query_pairs().any(|(k, v)| k == "roomId" && v == "R"));
            q = next.query_pairs().into_owned().collect();
        }
        assert_eq!(seen, items);
        assert_eq!(pages, 3);
    }

    #[test]
    fn max_is_validated_and_capped() {
        assert!(Page::from_query(&query(&[("max", "0")]), 10).is_err());
        assert!(Page::from_query(&query(&[("max", "ten")]), 10).is_err());
        assert_eq!(
            Page::from_query(&query(&[("max", "5000")]), 10)
                .expect("page")
                .max,
            MAX_PAGE
        );
        assert_eq!(Page::from_query(&query(&[]), 2).expect("page").max, 2);
    }
}
