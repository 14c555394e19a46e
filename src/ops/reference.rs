//! The reference that follows one piece of work from its webhook delivery through every job it
//! leads to (the reply, the meeting, the e-mails), so a support person can find all of it in
//! the logs from the one id the person was shown ("reference: …").
//!
//! The webhook receiver makes one per delivery. A job carries it in its payload (`reference`),
//! the queue runs the job inside [`scope`] and records it on the job's span, and every job
//! enqueued while it runs inherits it (`Job::to_new_job` calls [`stamp`]). A job enqueued
//! outside any work (the OAuth callback) gets a fresh one.

use serde_json::Value;
use std::cell::Cell;
use std::future::Future;

/// The payload key (payload types ignore keys they do not know, so any job can carry it).
const KEY: &str = "reference";

/// The work running on a task: its reference, and whether it has queued more work.
struct Work {
    reference: String,
    queued_more: Cell<bool>,
}

tokio::task_local! {
    static CURRENT: Work;
}

/// A new reference: 8 hex characters, short enough to read out over the phone.
pub fn fresh() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// The reference of the work running on this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|work| work.reference.clone()).ok()
}

/// The reference to show the person at the end of a reply: only when the work behind it goes
/// on in the background (a meeting change queues its invitations and e-mails), which is what
/// someone asks support about. Other replies stay as they are.
pub fn to_show() -> Option<String> {
    CURRENT
        .try_with(|work| work.queued_more.get().then(|| work.reference.clone()))
        .ok()
        .flatten()
}

/// Runs `work` with `reference` as the current reference.
pub async fn scope<F: Future>(reference: String, work: F) -> F::Output {
    let work_state = Work {
        reference,
        queued_more: Cell::new(false),
    };
    CURRENT.scope(work_state, work).await
}

/// The reference a job payload carries.
pub fn of_payload(payload: &Value) -> Option<&str> {
    payload.get(KEY).and_then(Value::as_str)
}

/// Gives a payload the current reference (or a fresh one), unless it has one already; the
/// current work now goes on in the background.
pub fn stamp(payload: &mut Value) {
    let _ = CURRENT.try_with(|work| work.queued_more.set(true));
    if let Value::Object(fields) = payload
        && !fields.contains_key(KEY)
    {
        fields.insert(KEY.into(), Value::String(current().unwrap_or_else(fresh)));
    }
}

/// Gives a payload this reference.
pub fn set(payload: &mut Value, reference: &str) {
    if let Value::Object(fields) = payload {
        fields.insert(KEY.into(), Value::String(reference.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_made_inside_a_piece_of_work_inherit_its_reference() {
        let mut outside = serde_json::json!({"kind": "x"});
        stamp(&mut outside);
        let fresh = of_payload(&outside).unwrap().to_string();
        assert_eq!(fresh.len(), 8);

        let (shown_before, inherited, shown_after) = scope("abcd1234".into(), async {
            let shown_before = to_show();
            let mut payload = serde_json::json!({});
            stamp(&mut payload);
            (shown_before, payload, to_show())
        })
        .await;
        assert_eq!(of_payload(&inherited), Some("abcd1234"));
        assert_eq!(shown_before, None, "nothing queued yet: nothing to show");
        assert_eq!(shown_after.as_deref(), Some("abcd1234"));

        let mut kept = serde_json::json!({"reference": "keepme12"});
        scope("other000".into(), async { stamp(&mut kept) }).await;
        assert_eq!(of_payload(&kept), Some("keepme12"));
        assert_eq!(current(), None);
    }
}
