//! `TestApp::webex_as(person)`: someone using Webex itself, not the bot — scheduling in the
//! Webex app, or cancelling there — with their own token at the emulator's REST API.

use super::TestApp;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// A person calling Webex's meeting API directly.
pub struct WebexAs {
    http: reqwest::Client,
    base: url::Url,
    token: SecretString,
}

impl TestApp {
    /// `person_id` at Webex's REST API, with the meeting scopes.
    pub fn webex_as(&self, person_id: &str) -> WebexAs {
        WebexAs {
            http: self.http.clone(),
            base: self.emulator.api_base(),
            token: self.emulator.issue_user_token(
                person_id,
                &["meeting:schedules_read", "meeting:schedules_write"],
            ),
        }
    }
}

impl WebexAs {
    /// `method path` with an optional JSON body: the status and the JSON answer (null if none).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, self.base.join(path).expect("a path under the API"))
            .bearer_auth(self.token.expose_secret());
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Schedules a meeting (`POST /meetings`) and returns it; panics if Webex refuses.
    pub async fn create_meeting(&self, body: Value) -> Value {
        let (status, created) = self
            .call(reqwest::Method::POST, "meetings", Some(body))
            .await;
        assert_eq!(status, 200, "{created}");
        created
    }

    /// Deletes a meeting or occurrence (`DELETE /meetings/{id}`), returning the status.
    pub async fn delete_meeting(&self, id: &str) -> u16 {
        self.call(reqwest::Method::DELETE, &format!("meetings/{id}"), None)
            .await
            .0
    }
}
