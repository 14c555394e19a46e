//! Fault injection: the failures a reliable client must survive, on demand.
//!
//! A fault matches requests by method and path prefix and fires `times` times, so a test can say
//! "the next two `POST /v1/meetings` get a 429" and then watch the client recover.

use axum::http::Method;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// A failure to apply to the next `times` matching requests.
#[derive(Debug, Clone)]
pub struct Fault {
    /// `None` matches every method.
    pub method: Option<Method>,
    /// Matched against the request path, e.g. `/v1/meetings` (which also matches `/v1/meetings/ID`).
    pub path_prefix: String,
    pub kind: FaultKind,
    pub times: u32,
}

impl Fault {
    pub fn new(
        method: Option<Method>,
        path_prefix: impl Into<String>,
        kind: FaultKind,
        times: u32,
    ) -> Self {
        Self {
            method,
            path_prefix: path_prefix.into(),
            kind,
            times,
        }
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.times > 0
            && self.method.as_ref().is_none_or(|m| m == method)
            && path.starts_with(&self.path_prefix)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 with a `Retry-After` header, before the request is processed.
    RateLimited { retry_after: RetryAfter },
    /// The given 5xx (or any) status with a Webex error body, before the request is processed.
    ServerError(u16),
    /// Waits this long, then processes the request normally.
    Latency(Duration),
    /// Processes the request (state changes happen) and then never answers, so the client sees
    /// a timeout after the server committed: the case idempotency keys exist for.
    DropResponseAfterProcessing,
}

/// Both forms RFC 9110 allows; clients must honour either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    Seconds(u64),
    HttpDate(SystemTime),
}

impl RetryAfter {
    pub fn header_value(&self) -> String {
        match self {
            RetryAfter::Seconds(secs) => secs.to_string(),
            RetryAfter::HttpDate(at) => httpdate::fmt_http_date(*at),
        }
    }
}

/// Takes one firing of the first fault matching this request, if any.
pub(crate) fn take_matching(
    faults: &mut Vec<Fault>,
    method: &Method,
    path: &str,
) -> Option<FaultKind> {
    let index = faults.iter().position(|f| f.matches(method, path))?;
    let fault = &mut faults[index];
    fault.times -= 1;
    let kind = fault.kind.clone();
    if fault.times == 0 {
        faults.remove(index);
    }
    Some(kind)
}

/// The JSON form of a fault for the `/_emulator/faults` control endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultSpec {
    #[serde(default)]
    pub method: Option<String>,
    pub path_prefix: String,
    pub kind: FaultKindSpec,
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum FaultKindSpec {
    /// `retryAfterSeconds` or `retryAfterHttpDate` (an RFC 9110 date string).
    #[serde(rename_all = "camelCase")]
    RateLimited {
        retry_after_seconds: Option<u64>,
        retry_after_http_date: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    ServerError {
        status: u16,
    },
    #[serde(rename_all = "camelCase")]
    Latency {
        millis: u64,
    },
    DropResponseAfterProcessing,
}

impl TryFrom<FaultSpec> for Fault {
    type Error = String;

    fn try_from(spec: FaultSpec) -> Result<Self, String> {
        let method = spec
            .method
            .map(|m| {
                Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|e| e.to_string())
            })
            .transpose()?;
        let kind = match spec.kind {
            FaultKindSpec::RateLimited {
                retry_after_seconds,
                retry_after_http_date,
            } => {
                let retry_after = match (retry_after_seconds, retry_after_http_date) {
                    (_, Some(date)) => RetryAfter::HttpDate(
                        httpdate::parse_http_date(&date)
                            .map_err(|e| format!("retryAfterHttpDate: {e}"))?,
                    ),
                    (Some(secs), None) => RetryAfter::Seconds(secs),
                    (None, None) => RetryAfter::Seconds(1),
                };
                FaultKind::RateLimited { retry_after }
            }
            FaultKindSpec::ServerError { status } => {
                if !(100..=599).contains(&status) {
                    return Err(format!("status {status} is not an HTTP status"));
                }
                FaultKind::ServerError(status)
            }
            FaultKindSpec::Latency { millis } => FaultKind::Latency(Duration::from_millis(millis)),
            FaultKindSpec::DropResponseAfterProcessing => FaultKind::DropResponseAfterProcessing,
        };
        Ok(Fault {
            method,
            path_prefix: spec.path_prefix,
            kind,
            times: spec.times,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_fires_exactly_its_count_then_disappears() {
        let mut faults = vec![Fault::new(
            Some(Method::POST),
            "/v1/meetings",
            FaultKind::ServerError(503),
            2,
        )];
        assert_eq!(
            take_matching(&mut faults, &Method::GET, "/v1/meetings"),
            None
        );
        assert_eq!(
            take_matching(&mut faults, &Method::POST, "/v1/messages"),
            None
        );
        assert_eq!(
            take_matching(&mut faults, &Method::POST, "/v1/meetings"),
            Some(FaultKind::ServerError(503))
        );
        assert_eq!(
            take_matching(&mut faults, &Method::POST, "/v1/meetings/abc"),
            Some(FaultKind::ServerError(503))
        );
        assert_eq!(
            take_matching(&mut faults, &Method::POST, "/v1/meetings"),
            None
        );
        assert!(faults.is_empty());
    }

    #[test]
    fn retry_after_renders_both_forms() {
        assert_eq!(RetryAfter::Seconds(2).header_value(), "2");
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            RetryAfter::HttpDate(at).header_value(),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
    }

    #[test]
    fn control_specs_convert_and_reject_nonsense() {
        let spec: FaultSpec = serde_json::from_value(serde_json::json!({
            "method": "post", "pathPrefix": "/v1/meetings",
            "kind": {"type": "rateLimited", "retryAfterSeconds": 3}, "times": 4
        }))
        .expect("valid spec");
        let fault = Fault::try_from(spec).expect("converts");
        assert_eq!(fault.method, Some(Method::POST));
        assert_eq!(
            fault.kind,
            FaultKind::RateLimited {
                retry_after: RetryAfter::Seconds(3)
            }
        );
        assert_eq!(fault.times, 4);

        let bad: FaultSpec = serde_json::from_value(serde_json::json!({
            "pathPrefix": "/v1", "kind": {"type": "serverError", "status": 42}
        }))
        .expect("shape is valid");
        assert!(Fault::try_from(bad).is_err());
    }
}
