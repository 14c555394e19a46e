//! `GET /people/me`, `GET /people/{id}`, `GET /people?email=`.

use super::gateway::Caller;
use super::state::{
    ApiError, ApiResult, AppState, Person, PersonKind, World, org_id, parse_query, timestamp,
};
use axum::Extension;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde_json::{Value, json};

/// User tokens need this for every `/people` call, `/people/me` included.
const PEOPLE_READ: &str = "spark:people_read";

/// The Person object; `timezone` is omitted when unset, as Webex does (a trap for clients).
pub(crate) fn person_json(person: &Person) -> Value {
    let mut value = json!({
        "id": person.id,
        "emails": [person.email],
        "displayName": person.display_name,
        "nickName": person.first_name(),
        "firstName": person.first_name(),
        "lastName": person.last_name(),
        "orgId": org_id(),
        "created": timestamp(person.created),
        "status": "active",
        "type": match person.kind { PersonKind::Bot => "bot", PersonKind::Person => "person" },
    });
    if let Some(tz) = &person.timezone {
        value["timezone"] = json!(tz);
    }
    value
}

pub(crate) async fn me(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Value>> {
    caller.require(PEOPLE_READ)?;
    let world = state.world();
    let person = world
        .person(&caller.person_id)
        .ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(person_json(person)))
}

pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require(PEOPLE_READ)?;
    let world = state.world();
    let person = world
        .person(&id)
        .ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(person_json(person)))
}

/// Non-admins must filter by `email`, `displayName` (a prefix) or `id`, as in Webex.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    caller.require(PEOPLE_READ)?;
    let query = parse_query(raw.as_deref());
    let world = state.world();
    let items: Vec<Value> = matching_people(&world, &query)?
        .into_iter()
        .map(person_json)
        .collect();
    Ok(Json(json!({ "items": items })))
}

fn matching_people<'w>(
    world: &'w World,
    query: &std::collections::HashMap<String, String>,
) -> ApiResult<Vec<&'w Person>> {
    if let Some(email) = query.get("email") {
        return Ok(world.person_by_email(email).into_iter().collect());
    }
    if let Some(ids) = query.get("id") {
        let wanted: Vec<&str> = ids.split(',').map(str::trim).collect();
        return Ok(world
            .people
            .iter()
            .filter(|p| wanted.contains(&p.id.as_str()))
            .collect());
    }
    if let Some(prefix) = query.get("displayName") {
        let prefix = prefix.to_lowercase();
        return Ok(world
            .people
            .iter()
            .filter(|p| p.display_name.to_lowercase().starts_with(&prefix))
            .collect());
    }
    Err(ApiError::bad_request(
        "Email, displayName, or id list should be specified.",
    ))
}
