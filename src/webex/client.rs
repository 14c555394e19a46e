//! The typed Webex REST client.
//!
//! Every call goes through one path (`WebexClient::execute`): wait at the token's
//! `RateGate`, send once, and on a 429 pause the whole token and go round again until the
//! configured wait budget is spent. Only GETs are retried on 5xx and network errors; a write
//! that failed ambiguously is handed back to the caller, who knows how to check whether it
//! happened (POST /meetings carries an integration tag for exactly that).

use super::budget::SharedBudget;
use super::error::WebexError;
use super::link;
use super::meeting_patch::{MEETING_PATCH_CONTENT_TYPE, MeetingPatch};
use super::rate_gate::{Gates, RateGate};
use super::retry_after;
use super::types::{
    AttachmentAction, Items, Meeting, MeetingQuery, Membership, Message, NewMeeting, NewMessage,
    NewWebhook, Person, Room, UpdateWebhook, Webhook,
};
use crate::metrics::Metrics;
use crate::metrics::labels::TokenClass;
use bytes::Bytes;
use rand::Rng;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LINK, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use url::Url;

/// Whose token a call uses. Spelled out at every call site because the bot and the user see
/// different things: the bot reads messages and posts replies, only the user can schedule.
#[derive(Debug, Clone)]
pub enum Auth {
    /// The bot token from the configuration.
    Bot,
    /// A user's delegated OAuth access token.
    User(SecretString),
}

#[derive(Debug, Clone)]
pub struct WebexConfig {
    /// e.g. `https://webexapis.com/v1`, or the emulator's address in tests.
    pub api_base: Url,
    pub bot_token: SecretString,
    /// Per token, in any 60-second window.
    pub requests_per_minute: u32,
    /// Per attempt, connection to last body byte.
    pub timeout: Duration,
    /// Total time one call may spend waiting out 429s before giving up with `RateLimited`.
    pub max_rate_limit_wait: Duration,
}

/// Cheap to clone: clones share the connection pool and the per-token gates, which is what
/// makes a 429 seen by one task pause all the others.
#[derive(Clone)]
pub struct WebexClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_base: Url,
    bot_token: SecretString,
    gates: Gates,
    max_rate_limit_wait: Duration,
    metrics: Metrics,
}

impl fmt::Debug for WebexClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebexClient")
            .field("api_base", &self.inner.api_base.as_str())
            .field("max_rate_limit_wait", &self.inner.max_rate_limit_wait)
            .finish_non_exhaustive()
    }
}

/// Retries of a GET after a 5xx or network error; beyond a couple, the caller's own retry
/// (the job queue) is the better place, or retries multiply across layers.
const MAX_SAFE_RETRIES: u32 = 2;
const BACKOFF_BASE: Duration = Duration::from_millis(200);
const BACKOFF_CAP: Duration = Duration::from_secs(2);
/// Reaching Webex should never take long; a slow connect means a network problem, and the
/// caller is better served by an early error than by waiting out the whole request timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Page size asked for on every list; Webex caps most lists at 100.
const PAGE_SIZE: u32 = 100;
/// A list longer than this many pages is a pagination loop, not data.
const MAX_PAGES: usize = 1_000;

const JSON: &str = "application/json";

#[derive(Clone, Copy, PartialEq)]
enum Retry {
    /// Reading: resending after a failure cannot change anything on Webex's side.
    Safe,
    /// Writing: a failure may hide a success, so the caller decides.
    Never,
}

struct Call {
    method: Method,
    url: Url,
    body: Option<Bytes>,
    /// The body's media type: JSON, except where an operation documents another.
    content_type: &'static str,
    retry: Retry,
}

impl Call {
    fn get(url: Url) -> Self {
        Self {
            method: Method::GET,
            url,
            body: None,
            content_type: JSON,
            retry: Retry::Safe,
        }
    }

    fn write(method: Method, url: Url, body: &impl Serialize) -> Result<Self, WebexError> {
        let body = serde_json::to_vec(body)
            .map_err(|e| WebexError::Decode(format!("could not encode request: {e}")))?;
        Ok(Self {
            method,
            url,
            body: Some(Bytes::from(body)),
            content_type: JSON,
            retry: Retry::Never,
        })
    }

    /// A write whose operation documents its own media type.
    fn with_content_type(self, content_type: &'static str) -> Self {
        Self {
            content_type,
            ..self
        }
    }

    fn delete(url: Url) -> Self {
        Self {
            method: Method::DELETE,
            url,
            body: None,
            content_type: JSON,
            retry: Retry::Never,
        }
    }
}

/// A failed attempt, with the server's own `Retry-After` when it sent one: a 503 or 423 may
/// say how long to wait, and that beats our guess.
struct Failure {
    error: WebexError,
    retry_after: Option<Duration>,
}

impl Failure {
    fn logged(
        call: &Call,
        status: Option<StatusCode>,
        tracking_id: Option<&str>,
        error: WebexError,
    ) -> Self {
        log_failure(call, status, tracking_id, &error);
        Self {
            error,
            retry_after: None,
        }
    }
}

/// A successful response, read in full inside the retry loop so a body cut short counts as
/// a failed attempt rather than escaping as a half-success.
struct Reply {
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json<T: DeserializeOwned>(&self, call: &Call) -> Result<T, WebexError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let err = WebexError::Decode(e.to_string());
            log_failure(call, None, tracking_id(&self.headers).as_deref(), &err);
            err
        })
    }
}

impl WebexClient {
    pub fn new(config: WebexConfig) -> Result<Self, WebexError> {
        Self::measured(config, Metrics::default())
    }

    /// A client that counts its requests, statuses and budget waits into `metrics`.
    pub fn measured(config: WebexConfig, metrics: Metrics) -> Result<Self, WebexError> {
        let requests_per_minute = NonZeroU32::new(config.requests_per_minute).ok_or_else(|| {
            WebexError::Network("the Webex request budget must be at least 1 per minute".into())
        })?;
        let api_base = checked_api_base(config.api_base)?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(CONNECT_TIMEOUT))
            .user_agent(concat!("webex-scheduler/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(WebexError::from_reqwest)?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                api_base,
                bot_token: config.bot_token,
                gates: Gates::new(requests_per_minute),
                max_rate_limit_wait: config.max_rate_limit_wait,
                metrics,
            }),
        })
    }

    /// Paces every token with `budget` (shared by the replicas of a deployment) instead of
    /// in this process alone. Call before the first request.
    pub fn share_budget(&self, budget: Arc<dyn SharedBudget>) {
        self.inner.gates.share(budget);
    }

    pub async fn me(&self, auth: &Auth) -> Result<Person, WebexError> {
        self.get_one(auth, self.endpoint(&["people", "me"])).await
    }

    pub async fn person(&self, auth: &Auth, id: &str) -> Result<Person, WebexError> {
        self.get_one(auth, self.endpoint(&["people", id])).await
    }

    /// With the bot token: webhooks only say a message exists, its text has to be fetched.
    pub async fn message(&self, id: &str) -> Result<Message, WebexError> {
        self.get_one(&Auth::Bot, self.endpoint(&["messages", id]))
            .await
    }

    /// Not retried on failure: a resend after a lost response would post the message twice.
    pub async fn post_message(&self, msg: &NewMessage) -> Result<Message, WebexError> {
        let call = Call::write(Method::POST, self.endpoint(&["messages"]), msg)?;
        self.send_json(&Auth::Bot, call).await
    }

    pub async fn delete_message(&self, id: &str) -> Result<(), WebexError> {
        let call = Call::delete(self.endpoint(&["messages", id]));
        self.execute(&Auth::Bot, &call).await.map(drop)
    }

    /// The inputs of a card submission, which the webhook itself never carries.
    pub async fn attachment_action(&self, id: &str) -> Result<AttachmentAction, WebexError> {
        self.get_one(&Auth::Bot, self.endpoint(&["attachment", "actions", id]))
            .await
    }

    pub async fn room(&self, id: &str) -> Result<Room, WebexError> {
        self.get_one(&Auth::Bot, self.endpoint(&["rooms", id]))
            .await
    }

    /// Every member of the room, across all pages.
    /// `GET /people?email=`: the people with this address (none or one), as the bot sees them.
    pub async fn people_by_email(&self, email: &str) -> Result<Vec<Person>, WebexError> {
        let mut url = self.endpoint(&["people"]);
        url.query_pairs_mut().append_pair("email", email);
        self.get_all(&Auth::Bot, url).await
    }

    pub async fn memberships(&self, room_id: &str) -> Result<Vec<Membership>, WebexError> {
        let mut url = self.endpoint(&["memberships"]);
        url.query_pairs_mut()
            .append_pair("roomId", room_id)
            .append_pair("max", &PAGE_SIZE.to_string());
        self.get_all(&Auth::Bot, url).await
    }

    /// The bot's webhooks, across all pages; used at startup to register or revive them.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, WebexError> {
        let mut url = self.endpoint(&["webhooks"]);
        url.query_pairs_mut()
            .append_pair("max", &PAGE_SIZE.to_string());
        self.get_all(&Auth::Bot, url).await
    }

    pub async fn create_webhook(&self, w: &NewWebhook) -> Result<Webhook, WebexError> {
        let call = Call::write(Method::POST, self.endpoint(&["webhooks"]), w)?;
        self.send_json(&Auth::Bot, call).await
    }

    pub async fn update_webhook(&self, id: &str, w: &UpdateWebhook) -> Result<Webhook, WebexError> {
        let call = Call::write(Method::PUT, self.endpoint(&["webhooks", id]), w)?;
        self.send_json(&Auth::Bot, call).await
    }

    pub(crate) async fn delete_webhook(&self, id: &str) -> Result<(), WebexError> {
        let call = Call::delete(self.endpoint(&["webhooks", id]));
        self.execute(&Auth::Bot, &call).await.map(drop)
    }

    /// Never retried after a 5xx or timeout: Webex has no idempotency key, each attempt counts
    /// against the user's 100-a-day quota, and a lost response may hide a created meeting.
    /// On [`WebexError::is_ambiguous`] the caller looks the meeting up by its integration tag.
    /// A 429 is waited out: Webex did not process that request.
    pub async fn create_meeting(&self, auth: &Auth, m: &NewMeeting) -> Result<Meeting, WebexError> {
        let call = Call::write(Method::POST, self.endpoint(&["meetings"]), m)?;
        self.send_json(auth, call).await
    }

    /// Every meeting matching `q`, across all pages.
    pub async fn meetings(
        &self,
        auth: &Auth,
        q: &MeetingQuery,
    ) -> Result<Vec<Meeting>, WebexError> {
        let mut url = self.endpoint(&["meetings"]);
        {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in q.query_pairs() {
                pairs.append_pair(name, &value);
            }
        }
        self.get_all(auth, url).await
    }

    pub async fn meeting(&self, auth: &Auth, id: &str) -> Result<Meeting, WebexError> {
        self.get_one(auth, self.endpoint(&["meetings", id])).await
    }

    /// Changes only what `patch` names (`PATCH`, which Cisco recommends over the deprecated
    /// full-replacement `PUT`): on a series id the whole series, on an occurrence id that
    /// occurrence alone. Not retried, like every write.
    pub async fn patch_meeting(
        &self,
        auth: &Auth,
        id: &str,
        patch: &MeetingPatch,
    ) -> Result<Meeting, WebexError> {
        let call = Call::write(Method::PATCH, self.endpoint(&["meetings", id]), patch)?
            .with_content_type(MEETING_PATCH_CONTENT_TYPE);
        self.send_json(auth, call).await
    }

    /// A series id deletes every occurrence; an occurrence id only that one.
    pub async fn delete_meeting(
        &self,
        auth: &Auth,
        id: &str,
        send_email: bool,
    ) -> Result<(), WebexError> {
        let mut url = self.endpoint(&["meetings", id]);
        url.query_pairs_mut()
            .append_pair("sendEmail", if send_email { "true" } else { "false" });
        self.execute(auth, &Call::delete(url)).await.map(drop)
    }

    async fn get_one<T: DeserializeOwned>(&self, auth: &Auth, url: Url) -> Result<T, WebexError> {
        self.send_json(auth, Call::get(url)).await
    }

    async fn send_json<T: DeserializeOwned>(
        &self,
        auth: &Auth,
        call: Call,
    ) -> Result<T, WebexError> {
        self.execute(auth, &call).await?.json(&call)
    }

    /// Follows `Link: rel="next"` from `first` until the last page.
    async fn get_all<T: DeserializeOwned>(
        &self,
        auth: &Auth,
        first: Url,
    ) -> Result<Vec<T>, WebexError> {
        let mut items = Vec::new();
        let mut next = Some(first.clone());
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(WebexError::Decode(format!(
                    "more than {MAX_PAGES} pages; assuming a pagination loop"
                )));
            }
            let call = Call::get(url);
            let reply = self.execute(auth, &call).await?;
            items.extend(reply.json::<Items<T>>(&call)?.items);
            next = self.next_page(&reply.headers, &call.url, &first)?;
        }
        Ok(items)
    }

    /// The `next` link, resolved and checked. It must stay on the API's origin: following a
    /// link elsewhere would hand the bearer token to whoever controls that host.
    fn next_page(
        &self,
        headers: &HeaderMap,
        current: &Url,
        first: &Url,
    ) -> Result<Option<Url>, WebexError> {
        let values = headers.get_all(LINK).iter().filter_map(|v| v.to_str().ok());
        let Some(target) = link::next_link(values) else {
            return Ok(None);
        };
        let next = current
            .join(&target)
            .map_err(|e| WebexError::Decode(format!("unreadable next-page link: {e}")))?;
        if next.origin() != self.inner.api_base.origin() {
            return Err(WebexError::Decode(
                "next-page link leaves the Webex API host; not following it".into(),
            ));
        }
        if next == *current {
            return Err(WebexError::Decode(
                "next-page link points at the same page".into(),
            ));
        }
        Ok(Some(restore_page_size(next, first)))
    }

    /// One call, start to finish: pacing, 429 pauses shared with every caller of the token,
    /// and bounded retries for reads.
    async fn execute(&self, auth: &Auth, call: &Call) -> Result<Reply, WebexError> {
        let token = self.token(auth);
        let gate = self.inner.gates.for_token(token);
        let deadline = Instant::now() + self.inner.max_rate_limit_wait;
        let mut retries = 0;
        let token_class = match auth {
            Auth::Bot => TokenClass::Bot,
            Auth::User(_) => TokenClass::User,
        };
        loop {
            let waiting = Instant::now();
            let turn = wait_for_gate(&gate, deadline).await;
            let metrics = &self.inner.metrics;
            metrics.budget_waited(token_class, waiting.elapsed());
            turn?;
            let failure = match self.send_once(token, token_class, call).await {
                Ok(reply) => return Ok(reply),
                Err(failure) => failure,
            };
            if let WebexError::RateLimited { retry_after } = failure.error {
                gate.pause(retry_after).await;
                continue;
            }
            let may_retry = call.retry == Retry::Safe
                && failure.error.is_transient()
                && retries < MAX_SAFE_RETRIES;
            let wait = failure.retry_after.unwrap_or_else(|| backoff(retries));
            if !may_retry || Instant::now() + wait > deadline {
                return Err(failure.error);
            }
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    async fn send_once(
        &self,
        token: &SecretString,
        token_class: TokenClass,
        call: &Call,
    ) -> Result<Reply, Failure> {
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), call.url.clone())
            .bearer_auth(token.expose_secret());
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, call.content_type)
                .body(body.clone());
        }
        let metrics = &self.inner.metrics;
        let path = self.path_after_base(&call.url);
        let response = request.send().await.map_err(|e| {
            metrics.webex_request(token_class, path, None);
            Failure::logged(call, None, None, WebexError::from_reqwest(e))
        })?;
        let status = response.status();
        metrics.webex_request(token_class, path, Some(status.as_u16()));
        let headers = response.headers().clone();
        let tracking_id = tracking_id(&headers);
        let body = response.bytes().await.map_err(|e| {
            let err = WebexError::from_reqwest(e);
            Failure::logged(call, Some(status), tracking_id.as_deref(), err)
        })?;
        if status.is_success() {
            return Ok(Reply { headers, body });
        }
        let retry_after = headers
            .get(RETRY_AFTER)
            .map(|v| retry_after::parse(v.to_str().ok(), SystemTime::now()));
        let err = if status == StatusCode::TOO_MANY_REQUESTS {
            WebexError::RateLimited {
                retry_after: retry_after.unwrap_or(retry_after::FALLBACK),
            }
        } else {
            WebexError::from_status(status.as_u16(), tracking_id.clone(), &body)
        };
        let mut failure = Failure::logged(call, Some(status), tracking_id.as_deref(), err);
        failure.retry_after = retry_after;
        Err(failure)
    }

    fn token<'a>(&'a self, auth: &'a Auth) -> &'a SecretString {
        match auth {
            Auth::Bot => &self.inner.bot_token,
            Auth::User(token) => token,
        }
    }

    /// `/people/me` of `https://webexapis.com/v1/people/me`: what the metrics group calls by.
    fn path_after_base<'a>(&self, url: &'a Url) -> &'a str {
        let base = self.inner.api_base.path().trim_end_matches('/');
        url.path().strip_prefix(base).unwrap_or(url.path())
    }

    /// The API base plus path segments, each percent-encoded: ids are opaque strings.
    fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.api_base.clone();
        url.path_segments_mut()
            .expect("checked at construction: the API base can have a path")
            .pop_if_empty()
            .extend(segments);
        url
    }
}

async fn wait_for_gate(gate: &RateGate, deadline: Instant) -> Result<(), WebexError> {
    gate.wait_turn(deadline)
        .await
        .map_err(|left| WebexError::RateLimited { retry_after: left })
}

fn checked_api_base(api_base: Url) -> Result<Url, WebexError> {
    let usable = matches!(api_base.scheme(), "http" | "https") && !api_base.cannot_be_a_base();
    if !usable {
        return Err(WebexError::Network(format!(
            "the Webex API URL must be http(s), got {:?}",
            api_base.scheme()
        )));
    }
    Ok(api_base)
}

/// Equal jitter: at least half the step, so a retry never fires straight back into a
/// struggling server, and spread over the other half so concurrent retries don't align.
fn backoff(retry: u32) -> Duration {
    let step = BACKOFF_BASE
        .saturating_mul(1 << retry.min(16))
        .min(BACKOFF_CAP);
    let half = step / 2;
    half + rand::thread_rng().gen_range(Duration::ZERO..=half)
}

fn tracking_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("trackingid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Webex once sent `max=null` in next links (the Python SDK works around it); put our own
/// page size back so later pages are not silently smaller or rejected.
fn restore_page_size(next: Url, first: &Url) -> Url {
    let broken = next.query_pairs().any(|(k, v)| k == "max" && v == "null");
    if !broken {
        return next;
    }
    let original = first
        .query_pairs()
        .find(|(k, _)| k == "max")
        .map(|(_, v)| v.into_owned());
    let kept: Vec<(String, String)> = next
        .query_pairs()
        .filter(|(k, _)| k != "max")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut repaired = next;
    {
        let mut pairs = repaired.query_pairs_mut();
        pairs.clear().extend_pairs(kept);
        if let Some(max) = original {
            pairs.append_pair("max", &max);
        }
    }
    repaired
}

/// Logs only the path (the query may hold e-mail addresses) and never a header value other
/// than Webex's tracking id, which is what Webex support asks for.
fn log_failure(
    call: &Call,
    status: Option<StatusCode>,
    tracking_id: Option<&str>,
    err: &WebexError,
) {
    tracing::warn!(
        http.method = %call.method,
        url.path = call.url.path(),
        http.status = status.map(|s| s.as_u16()),
        webex.tracking_id = tracking_id,
        error = %err,
        "Webex request failed"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(api_base: &str) -> WebexClient {
        WebexClient::new(WebexConfig {
            api_base: Url::parse(api_base).unwrap(),
            bot_token: SecretString::from("bot-secret"),
            requests_per_minute: 100,
            timeout: Duration::from_secs(5),
            max_rate_limit_wait: Duration::from_secs(60),
        })
        .unwrap()
    }

    #[test]
    fn endpoints_extend_the_base_path_and_encode_ids() {
        let c = client("https://webexapis.com/v1");
        assert_eq!(
            c.endpoint(&["people", "me"]).as_str(),
            "https://webexapis.com/v1/people/me"
        );
        let with_slash = client("http://127.0.0.1:9000/v1/");
        assert_eq!(
            with_slash.endpoint(&["messages", "a/b?c"]).as_str(),
            "http://127.0.0.1:9000/v1/messages/a%2Fb%3Fc"
        );
    }

    #[test]
    fn a_non_http_base_or_a_zero_budget_is_refused() {
        let config = |base: &str, rpm| WebexConfig {
            api_base: Url::parse(base).unwrap(),
            bot_token: SecretString::from("t"),
            requests_per_minute: rpm,
            timeout: Duration::from_secs(1),
            max_rate_limit_wait: Duration::from_secs(1),
        };
        assert!(WebexClient::new(config("mailto:a@example.com", 100)).is_err());
        assert!(WebexClient::new(config("ftp://example.com/v1", 100)).is_err());
        assert!(WebexClient::new(config("https://example.com/v1", 0)).is_err());
    }

    #[test]
    fn next_links_are_resolved_and_kept_on_the_api_host() {
        let c = client("https://webexapis.com/v1");
        let current = Url::parse("https://webexapis.com/v1/memberships?roomId=R&max=100").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            r#"</v1/memberships?roomId=R&max=100&cursor=2>; rel="next""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            c.next_page(&headers, &current, &current)
                .unwrap()
                .unwrap()
                .as_str(),
            "https://webexapis.com/v1/memberships?roomId=R&max=100&cursor=2"
        );

        headers.insert(
            LINK,
            r#"<https://evil.example.com/v1/memberships?cursor=2>; rel="next""#
                .parse()
                .unwrap(),
        );
        assert!(c.next_page(&headers, &current, &current).is_err());
    }

    #[test]
    fn a_max_null_next_link_gets_the_original_page_size_back() {
        let first = Url::parse("https://webexapis.com/v1/webhooks?max=100").unwrap();
        let next = Url::parse("https://webexapis.com/v1/webhooks?cursor=abc&max=null").unwrap();
        assert_eq!(
            restore_page_size(next, &first).as_str(),
            "https://webexapis.com/v1/webhooks?cursor=abc&max=100"
        );
    }

    #[test]
    fn backoff_grows_stays_jittered_and_is_capped() {
        for _ in 0..100 {
            let first = backoff(0);
            assert!(first >= BACKOFF_BASE / 2 && first <= BACKOFF_BASE);
            let late = backoff(30);
            assert!(late >= BACKOFF_CAP / 2 && late <= BACKOFF_CAP);
        }
    }

    #[test]
    fn debug_output_never_shows_the_bot_token() {
        let c = client("https://webexapis.com/v1");
        assert!(!format!("{c:?}").contains("bot-secret"));
        let auth = Auth::User(SecretString::from("user-secret"));
        assert!(!format!("{auth:?}").contains("user-secret"));
    }
}
