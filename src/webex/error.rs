//! What can go wrong talking to Webex, in the shapes callers branch on.
//!
//! Callers need to decide three things: refresh the token (401), tell the user something is
//! missing (404), or wonder whether a write happened anyway ([`WebexError::is_ambiguous`]). The
//! variants follow those decisions rather than HTTP's full list. Nothing here ever holds a token:
//! errors are logged and may be shown in chat.

use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebexError {
    /// Still rate-limited once the configured wait budget ran out; try again after `retry_after`.
    #[error("Webex is rate limiting this token; retry in {}s", retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    /// The token is missing, invalid or expired: a user token needs a refresh.
    #[error(
        "Webex rejected the access token (401{})",
        tracking_suffix(tracking_id)
    )]
    Unauthorized { tracking_id: Option<String> },
    /// Absent, or invisible to this token (bots cannot see messages that don't mention them).
    #[error("Webex has no such resource (404{})", tracking_suffix(tracking_id))]
    NotFound { tracking_id: Option<String> },
    #[error("Webex API error {status}: {message}{}", tracking_suffix(tracking_id))]
    Api {
        status: u16,
        message: String,
        tracking_id: Option<String>,
    },
    /// No complete answer within the configured timeout; the request may have been processed.
    #[error("Webex did not answer in time")]
    Timeout,
    #[error("could not reach Webex: {0}")]
    Network(String),
    /// Webex answered 2xx with a body we could not read.
    #[error("unexpected response from Webex: {0}")]
    Decode(String),
}

fn tracking_suffix(tracking_id: &Option<String>) -> String {
    tracking_id
        .as_deref()
        .map(|id| format!(", tracking id {id}"))
        .unwrap_or_default()
}

impl WebexError {
    /// True when a write may have taken effect although it failed: a timeout, a dropped
    /// connection or a 5xx. For POST /meetings the caller must look the meeting up (by its
    /// integration tag) before creating it again, or the user gets two meetings.
    ///
    /// Every network error counts: the error does not say whether the request left the machine,
    /// and a needless look-up is cheap next to a duplicate meeting.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Self::Timeout | Self::Network(_) => true,
            Self::Api { status, .. } => *status >= 500,
            Self::RateLimited { .. }
            | Self::Unauthorized { .. }
            | Self::NotFound { .. }
            | Self::Decode(_) => false,
        }
    }

    /// True when the same request may well succeed later without anything changing on our side.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout | Self::Network(_) => true,
            // 423: resource locked for a moment (e.g. a file under scan).
            Self::Api { status, .. } => *status >= 500 || *status == 423,
            Self::Unauthorized { .. } | Self::NotFound { .. } | Self::Decode(_) => false,
        }
    }

    pub fn tracking_id(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { tracking_id }
            | Self::NotFound { tracking_id }
            | Self::Api { tracking_id, .. } => tracking_id.as_deref(),
            _ => None,
        }
    }

    /// Maps a non-2xx, non-429 response. The header tracking id wins over the body's because
    /// every response carries the header while bodies are sometimes not JSON.
    pub(crate) fn from_status(
        status: u16,
        header_tracking_id: Option<String>,
        body: &[u8],
    ) -> Self {
        let parsed = ErrorBody::parse(body);
        let tracking_id = header_tracking_id.or(parsed.tracking_id);
        match status {
            401 => Self::Unauthorized { tracking_id },
            404 => Self::NotFound { tracking_id },
            _ => Self::Api {
                status,
                message: parsed
                    .message
                    .unwrap_or_else(|| fallback_message(status, body)),
                tracking_id,
            },
        }
    }

    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            return Self::Timeout;
        }
        if err.is_decode() {
            return Self::Decode(describe(&err.without_url()));
        }
        // The URL may carry e-mail addresses in its query; the cause chain says enough.
        Self::Network(describe(&err.without_url()))
    }
}

/// Webex's error body: `{"message", "errors": [{"description"}], "trackingId"}`, parsed
/// defensively because gateways in front of Webex answer with HTML or nothing.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    message: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorDetail>,
    tracking_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    description: Option<String>,
}

impl ErrorBody {
    /// The message, followed by every description that says more: Webex often puts a general
    /// message first ("The input parameters contain invalid items.") and the reason only in
    /// `errors[].description` ("Meeting password validation failed. …"; the meeting OpenAPI
    /// document's own example), and the reason is what tells the person what to change.
    fn parse(body: &[u8]) -> Self {
        let mut parsed: Self = serde_json::from_slice(body).unwrap_or_default();
        let mut parts: Vec<String> = parsed
            .message
            .take()
            .into_iter()
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty())
            .collect();
        for description in parsed
            .errors
            .iter()
            .filter_map(|e| e.description.as_deref())
        {
            let description = description.trim();
            if !description.is_empty() && !parts.iter().any(|p| p.contains(description)) {
                parts.push(description.to_string());
            }
        }
        parsed.message = (!parts.is_empty()).then(|| parts.join(" "));
        parsed
    }
}

const MAX_RAW_MESSAGE: usize = 200;

fn fallback_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() || text.starts_with('<') {
        return reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("unexpected status")
            .to_owned();
    }
    text.chars().take(MAX_RAW_MESSAGE).collect()
}

fn describe(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webex_error_body_gives_message_and_tracking_id() {
        let body = br#"{"message":"Required request body is missing","errors":[{"description":"Required request body is missing"}],"trackingId":"NA_c4d9d517"}"#;
        assert_eq!(
            WebexError::from_status(400, None, body),
            WebexError::Api {
                status: 400,
                message: "Required request body is missing".into(),
                tracking_id: Some("NA_c4d9d517".into()),
            }
        );
    }

    #[test]
    fn the_header_tracking_id_wins_and_errors_fill_in_a_missing_message() {
        let body =
            br#"{"errors":[{"description":"Meeting is in progress"}],"trackingId":"body-id"}"#;
        let err = WebexError::from_status(409, Some("header-id".into()), body);
        assert_eq!(
            err,
            WebexError::Api {
                status: 409,
                message: "Meeting is in progress".into(),
                tracking_id: Some("header-id".into()),
            }
        );
    }

    #[test]
    fn a_reason_given_only_in_the_errors_follows_the_general_message() {
        let body = br#"{"message":"The input parameters contain invalid items.","errors":[{"description":"Meeting password validation failed."},{"description":"Meeting password validation failed."}],"trackingId":"T"}"#;
        let WebexError::Api { message, .. } = WebexError::from_status(400, None, body) else {
            panic!("expected Api");
        };
        assert_eq!(
            message,
            "The input parameters contain invalid items. Meeting password validation failed."
        );
    }

    #[test]
    fn html_or_empty_bodies_fall_back_to_the_status_reason() {
        let html = WebexError::from_status(502, None, b"<html><body>Bad gateway</body></html>");
        assert!(matches!(html, WebexError::Api { ref message, .. } if message == "Bad Gateway"));
        let empty = WebexError::from_status(503, None, b"");
        assert!(
            matches!(empty, WebexError::Api { ref message, .. } if message == "Service Unavailable")
        );
    }

    #[test]
    fn plain_text_bodies_are_kept_but_truncated() {
        let long = "x".repeat(1000);
        let err = WebexError::from_status(400, None, long.as_bytes());
        let WebexError::Api { message, .. } = err else {
            panic!("expected Api");
        };
        assert_eq!(message.len(), MAX_RAW_MESSAGE);
    }

    #[test]
    fn status_401_and_404_get_their_own_variants() {
        assert_eq!(
            WebexError::from_status(401, Some("t1".into()), b"{}"),
            WebexError::Unauthorized {
                tracking_id: Some("t1".into())
            }
        );
        assert_eq!(
            WebexError::from_status(404, None, br#"{"trackingId":"t2"}"#),
            WebexError::NotFound {
                tracking_id: Some("t2".into())
            }
        );
    }

    #[test]
    fn only_outcomes_that_may_have_taken_effect_are_ambiguous() {
        let api = |status| WebexError::Api {
            status,
            message: String::new(),
            tracking_id: None,
        };
        assert!(WebexError::Timeout.is_ambiguous());
        assert!(WebexError::Network("reset".into()).is_ambiguous());
        assert!(api(500).is_ambiguous());
        assert!(api(504).is_ambiguous());
        assert!(!api(400).is_ambiguous());
        assert!(!api(423).is_ambiguous());
        assert!(
            !WebexError::RateLimited {
                retry_after: Duration::from_secs(1)
            }
            .is_ambiguous()
        );
        assert!(!WebexError::Unauthorized { tracking_id: None }.is_ambiguous());
        assert!(!WebexError::Decode("x".into()).is_ambiguous());
    }

    #[test]
    fn transient_means_worth_trying_again_unchanged() {
        let api = |status| WebexError::Api {
            status,
            message: String::new(),
            tracking_id: None,
        };
        assert!(api(503).is_transient());
        assert!(api(423).is_transient());
        assert!(!api(400).is_transient());
        assert!(!api(403).is_transient());
        assert!(WebexError::Timeout.is_transient());
        assert!(
            WebexError::RateLimited {
                retry_after: Duration::from_secs(1)
            }
            .is_transient()
        );
        assert!(!WebexError::NotFound { tracking_id: None }.is_transient());
    }

    #[test]
    fn display_names_the_status_message_and_tracking_id() {
        let err = WebexError::Api {
            status: 400,
            message: "bad recurrence".into(),
            tracking_id: Some("NA_1".into()),
        };
        assert_eq!(
            err.to_string(),
            "Webex API error 400: bad recurrence, tracking id NA_1"
        );
    }
}
