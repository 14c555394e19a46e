//! `GET /oauth/callback`: where Webex sends the person's browser after consent.
//!
//! Pages are small, self-contained and readable on a phone. They never show an internal error;
//! the telling-in-chat and resuming happen in a durable job, so a Webex hiccup there does not
//! turn a successful link into an error page.

use super::AppState;
use crate::auth::CallbackOutcome;
use crate::jobs::Job;
use crate::jobs::kinds::AccountLinked;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[tracing::instrument(name = "oauth_callback", skip_all)]
pub async fn callback(
    State(app): State<AppState>,
    Query(params): Query<CallbackParams>,
) -> Response {
    let outcome = app
        .linker
        .finish(
            params.code.as_deref(),
            params.state.as_deref(),
            params.error.as_deref(),
        )
        .await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            tracing::error!(error = %e, "account link failed");
            CallbackOutcome::Failed
        }
    };
    if let CallbackOutcome::Connected {
        person_id,
        room_id,
        resumes,
    } = &outcome
    {
        let linked = AccountLinked {
            person_id: person_id.clone(),
            room_id: room_id.clone(),
            resumes: resumes.clone(),
            resume: None,
        };
        let enqueued = match linked.to_new_job() {
            Ok(job) => app.queue.enqueue(&job).await.map_err(anyhow::Error::from),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = enqueued {
            tracing::error!(error = %e, "could not enqueue the linked notice");
        }
    }
    page(&outcome)
}

/// The pages' only style, inline so a page needs no second request; the Content-Security-Policy
/// allows exactly this text by its hash (see `hardening`).
pub(crate) const PAGE_STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;padding:2rem 1.25rem;background:#f7f7f8;color:#1d1d1f}\
main{max-width:32rem;margin:auto;background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}\
h1{font-size:1.4rem;margin-top:0}p{line-height:1.5;font-size:1.05rem}code{background:#eef;padding:0 .3em;border-radius:4px}";

fn page(outcome: &CallbackOutcome) -> Response {
    let (status, title, body) = match outcome {
        CallbackOutcome::Connected { .. } => (
            StatusCode::OK,
            "You're connected",
            "Your Webex account is linked. Go back to Webex: I'll schedule meetings as you from now on. Type <code>disconnect</code> to me at any time to unlink.",
        ),
        CallbackOutcome::Denied => (
            StatusCode::OK,
            "Not connected",
            "You declined, so nothing was linked. Type <code>connect</code> to me if you change your mind.",
        ),
        CallbackOutcome::Expired => (
            StatusCode::BAD_REQUEST,
            "This link has expired",
            "Links work for 10 minutes. Type <code>connect</code> to me in Webex for a new one.",
        ),
        CallbackOutcome::Invalid => (
            StatusCode::BAD_REQUEST,
            "This link can't be used",
            "It is not valid or was already used. Type <code>connect</code> to me in Webex for a new one.",
        ),
        CallbackOutcome::Mismatch => (
            StatusCode::FORBIDDEN,
            "This link was made for someone else",
            "Each link works only for the person who asked for it, so nothing was linked. Type <code>connect</code> to me in Webex to get your own.",
        ),
        CallbackOutcome::Failed => (
            StatusCode::BAD_GATEWAY,
            "Something went wrong",
            "Webex didn't complete the sign-in. Please type <code>connect</code> to me again in a minute.",
        ),
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{PAGE_STYLE}</style></head>\
         <body><main><h1>{title}</h1><p>{body}</p></main></body></html>"
    );
    (status, Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_a_phone_friendly_page_with_its_own_status() {
        let cases = [
            (
                CallbackOutcome::Connected {
                    person_id: "P".into(),
                    room_id: None,
                    resumes: Vec::new(),
                },
                200,
                "connected",
            ),
            (CallbackOutcome::Denied, 200, "declined"),
            (CallbackOutcome::Expired, 400, "expired"),
            (CallbackOutcome::Invalid, 400, "already used"),
            (CallbackOutcome::Mismatch, 403, "someone else"),
            (CallbackOutcome::Failed, 502, "went wrong"),
        ];
        for (outcome, status, phrase) in cases {
            let response = page(&outcome);
            assert_eq!(response.status().as_u16(), status, "{outcome:?}");
            let html =
                futures::executor::block_on(axum::body::to_bytes(response.into_body(), 1 << 16))
                    .unwrap();
            let html = String::from_utf8(html.to_vec()).unwrap();
            assert!(html.contains("width=device-width"), "{outcome:?}");
            assert!(html.contains(phrase), "{outcome:?}: {html}");
        }
    }
}
