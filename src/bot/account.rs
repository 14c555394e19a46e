//! Acting as the person: their own token (refreshed once when Webex refuses it), the link that
//! asks for it, what happens after they link, and the zone their times are read in.

use super::Bot;
use super::conversation::Asker;
use super::error::{BotError, BotResult};
use super::reply::{self, Reply};
use crate::auth::AuthError;
use crate::jobs::Job;
use crate::jobs::kinds::{AccountLinked, WebhookEvent};
use crate::webex::{Auth, NewMessage, WebexError};
use chrono_tz::Tz;

/// A link with at least this long left to live is not sent again (links live 10 minutes).
const FRESH_LINK_MS: i64 = 5 * 60 * 1000;

impl Bot {
    /// The zone in force: the person's saved zone, else their Webex profile's, else the default.
    /// A grant found gone while reading the profile is [`BotError::NeedsReconnect`] (the person
    /// has been told): the caller decides whether its work can go on without the person.
    pub(crate) async fn zone_in_force(&self, person: &str) -> BotResult<Tz> {
        let prefs = self.store.person_prefs(person).await?;
        if let Some(tz) = prefs.timezone.and_then(|z| z.parse().ok()) {
            return Ok(tz);
        }
        if self.tokens.linker().is_connected(person).await? {
            let profile = self
                .as_person(person, |auth| async move { self.webex.me(&auth).await })
                .await;
            match profile {
                Ok(me) => {
                    if let Some(tz) = me.timezone.and_then(|z| zone_named(&z)) {
                        return Ok(tz);
                    }
                }
                Err(gone @ BotError::NeedsReconnect { .. }) => return Err(gone),
                Err(_) => {}
            }
        }
        Ok(self.config.default_timezone)
    }

    /// Checks the person can schedule as themselves; if not, sends the link and remembers the
    /// request so it resumes after linking. Returns the reply to give instead, if any.
    pub(crate) async fn require_link(
        &self,
        asker: &Asker,
        resume: &WebhookEvent,
    ) -> BotResult<Option<Reply>> {
        let linker = self.tokens.linker();
        if linker.is_connected(&asker.person).await? {
            return Ok(None);
        }
        if !linker.is_configured() {
            return Ok(Some(Reply::text(
                "I can't schedule meetings yet: account linking isn't set up on this bot. Please ask its admin.",
            )));
        }
        // The request rides on a link of its own; whichever valid link the person follows
        // carries it on. A link sent minutes ago still works, so a second one is not sent.
        let fresh_link_out = self
            .store
            .has_link_valid_until(&asker.person, self.now_ms() + FRESH_LINK_MS)
            .await?;
        let url = linker
            .start(
                &asker.person,
                Some(&asker.room),
                Some(serde_json::to_string(resume)?),
            )
            .await?;
        if fresh_link_out {
            return Ok(Some(Reply::text(
                "I've sent you a link to connect your Webex account in a direct message. Once \
                 you're connected I'll carry on with this request too.",
            )));
        }
        self.send_link(&asker.person, &url).await?;
        Ok(Some(Reply::text(
            "First I need your permission to schedule meetings as you: I sent you a direct message \
             with a link. Once you're connected I'll carry on with this request.",
        )))
    }

    /// The link goes to the person alone, in a direct message, whoever else is in the space.
    pub(crate) async fn send_link(&self, person: &str, url: &url::Url) -> BotResult<()> {
        let dm = NewMessage {
            to_person_id: Some(person.to_string()),
            markdown: Some(reply::connect_link(url)),
            ..Default::default()
        };
        self.webex.post_message(&dm).await?;
        Ok(())
    }

    /// Runs a Webex call with the person's own token, refreshing once if Webex refuses it.
    /// A revoked grant is recorded and the person told once, in a direct message.
    pub(crate) async fn as_person<T, F, Fut>(&self, person: &str, call: F) -> BotResult<T>
    where
        F: Fn(Auth) -> Fut,
        Fut: std::future::Future<Output = Result<T, WebexError>>,
    {
        let outcome = async {
            let token = self.tokens.access_token(person).await?;
            match call(Auth::User(token.token.clone())).await {
                Err(WebexError::Unauthorized { .. }) => {
                    let fresh = self.tokens.after_unauthorized(person, &token.token).await?;
                    Ok(call(Auth::User(fresh.token)).await?)
                }
                other => Ok(other?),
            }
        }
        .await;
        let gone = match &outcome {
            Err(AuthError::Revoked) => {
                self.tell_revoked_once(person).await?;
                true
            }
            // An earlier call (the zone lookup of this same request, say) found the grant gone
            // and dropped its tokens: this work waits for the person too, instead of failing.
            Err(AuthError::NotConnected) => self.store.person_prefs(person).await?.needs_reconnect,
            _ => false,
        };
        if gone {
            return Err(BotError::NeedsReconnect {
                person: person.to_string(),
            });
        }
        outcome.map_err(BotError::from)
    }

    async fn tell_revoked_once(&self, person: &str) -> BotResult<()> {
        let now = self.clock.now().timestamp_millis();
        if self.store.mark_needs_reconnect(person, now).await? {
            self.metrics.reconnect_requested();
            let dm = NewMessage {
                to_person_id: Some(person.to_string()),
                markdown: Some(reply::revoked_notice()),
                ..Default::default()
            };
            self.webex.post_message(&dm).await?;
        }
        Ok(())
    }

    /// After a successful link: say so where the person asked, then redo what they asked for.
    pub(crate) async fn on_linked(&self, linked: AccountLinked, job_id: i64) -> BotResult<()> {
        let key = format!("linked:{job_id}");
        if self.store.reply_for(&key).await?.is_none() {
            let notice = NewMessage {
                room_id: linked.room_id.clone(),
                to_person_id: linked.room_id.is_none().then(|| linked.person_id.clone()),
                markdown: Some(
                    "You're connected: I can now schedule Webex meetings as you.".into(),
                ),
                ..Default::default()
            };
            let posted = self.webex.post_message(&notice).await?;
            self.store
                .record_reply(&key, &posted.id, self.now_ms())
                .await?;
        }
        for request in linked.requests() {
            let event: WebhookEvent = serde_json::from_str(request)?;
            self.store
                .enqueue(&event.to_new_job()?, self.now_ms())
                .await?;
        }
        Ok(())
    }
}

/// Webex profile zones are lowercase IANA names ("europe/berlin"); find the canonical one.
fn zone_named(name: &str) -> Option<Tz> {
    name.parse().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
            .copied()
    })
}
