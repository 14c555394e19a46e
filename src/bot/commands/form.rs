//! `form`: the "Create a meeting" card, what comes back from it, and Edit on a preview (the form
//! again, filled in).
//!
//! Everyone in a group space sees a card, so a password chosen there is never shown on one: it
//! is kept sealed with the card's registration and used when the field comes back empty.

use crate::bot::Bot;
use crate::bot::conversation::{Asker, command_id};
use crate::bot::error::{BotError, BotResult};
use crate::bot::plan::{self, SealedValue};
use crate::bot::reply::Reply;
use crate::cards;
use crate::jobs::kinds::WebhookEvent;
use crate::store::CommandState;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// What a form card that keeps a password out of sight stores with its registration.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeptPassword {
    kept_password: SealedValue,
}

/// What a plain form card stores with its registration.
const PLAIN_FORM: &str = "form";

impl Bot {
    /// `form`: an empty "Create a meeting" card, with the date and zone in force.
    pub(crate) async fn open_form(&self, zone: chrono_tz::Tz, asker: &Asker) -> BotResult<Reply> {
        let values = cards::FormValues::empty(zone, self.clock.now());
        self.post_form(values, cards::FieldErrors(Vec::new()), asker, None)
            .await
    }

    /// Edit on a preview: retire the preview and post the form, filled in.
    pub(crate) async fn press_edit(
        &self,
        card: &str,
        asker: &Asker,
        in_group: bool,
    ) -> BotResult<Reply> {
        let row = match self.owned_command(card, &asker.person).await? {
            Ok(row) => row,
            Err(note) => return Ok(note),
        };
        let retired = self
            .store
            .transition_command(
                card,
                CommandState::Previewed,
                CommandState::Dismissed,
                self.now_ms(),
            )
            .await?;
        if !retired {
            return Ok(Reply::silent());
        }
        let plan: plan::Plan = serde_json::from_str(&row.plan)?;
        let mut values = plan.form.clone().unwrap_or_default();
        // Everyone in a group space sees the card: there the password is kept, not shown.
        let password = self.plan_password(&plan, card)?;
        let (shown, kept) = match in_group {
            true => (None, password),
            false => (password, None),
        };
        values.set(
            "password",
            shown
                .map(|p| p.expose_secret().to_string())
                .unwrap_or_default(),
        );
        self.post_form(values, cards::FieldErrors(Vec::new()), asker, kept)
            .await
    }

    /// Registers a form card for its owner and returns it as the reply. `kept` is a password
    /// the person already chose that the card must not show: it is sealed with the card's
    /// registration and used when the submitted password field is empty.
    async fn post_form(
        &self,
        values: cards::FormValues,
        errors: cards::FieldErrors,
        asker: &Asker,
        kept: Option<SecretString>,
    ) -> BotResult<Reply> {
        let card_id = command_id(&format!("form:{}", asker.source_id));
        let payload = match &kept {
            Some(password) => {
                let sealed = self
                    .tokens
                    .linker()
                    .cipher()
                    .seal(password, &kept_password_aad(&card_id))?;
                serde_json::to_string(&KeptPassword {
                    kept_password: sealed.into(),
                })?
            }
            None => PLAIN_FORM.to_string(),
        };
        self.store
            .insert_prompt(
                &card_id,
                &asker.person,
                &asker.room,
                &payload,
                self.now_ms(),
            )
            .await?;
        let fallback = if errors.is_empty() {
            "Create a meeting: fill in the card."
        } else {
            "Some fields need a fix: see the card."
        };
        // The button says what it does for this person: a preview first, or the meeting.
        let submit = match self.store.person_prefs(&asker.person).await?.confirm {
            true => cards::Submit::Preview,
            false => cards::Submit::Schedule,
        };
        let card = cards::form_for(&values, &errors, &card_id, submit, kept.is_some());
        Ok(Reply::card(fallback, card))
    }

    /// The password a form card keeps out of sight (see [`Self::post_form`]), if any.
    fn kept_password(&self, card_id: &str, payload: &str) -> BotResult<Option<SecretString>> {
        if payload == PLAIN_FORM {
            return Ok(None);
        }
        let kept: KeptPassword = serde_json::from_str(payload)?;
        Ok(Some(self.tokens.linker().cipher().open(
            &(&kept.kept_password).into(),
            &kept_password_aad(card_id),
        )?))
    }

    /// A filled form: checked on the server with the same rules as typed commands, then it
    /// goes through the same path (preview, Schedule, creation).
    pub(crate) async fn form_submitted(
        &self,
        card: &str,
        values: cards::FormValues,
        asker: &Asker,
        in_group: bool,
        resume: &WebhookEvent,
    ) -> BotResult<Reply> {
        match self.store.prompt_owner(card).await? {
            None => return Err(BotError::User("I don't recognise that card.".into())),
            Some(owner) if owner != asker.person => {
                return Ok(Reply::text(
                    "Only the person this form is for can submit it.",
                ));
            }
            Some(_) => {}
        }
        let request = match cards::read_form(&values, self.clock.now()) {
            Ok(request) => request,
            Err(errors) => {
                let Some((_, payload)) = self.store.answer_prompt(card, self.now_ms()).await?
                else {
                    return Ok(Reply::silent());
                };
                let mut values = values;
                let typed = std::mem::take(&mut values.password);
                // The form comes back as a new message: in a group space everyone can read it.
                let kept = if typed.is_empty() {
                    self.kept_password(card, &payload)?
                } else if !in_group {
                    values.password = typed;
                    None
                } else if errors.get("password").is_none() {
                    Some(SecretString::from(typed))
                } else {
                    None // A password that won't do is neither shown to the space nor kept.
                };
                return self.post_form(values, errors, asker, kept).await;
            }
        };
        if let Some(reply) = self.require_link(asker, resume).await? {
            return Ok(reply);
        }
        let Some((_, payload)) = self.store.answer_prompt(card, self.now_ms()).await? else {
            return Ok(Reply::silent()); // Submitted twice: the first one counts.
        };
        let mut request = request;
        if request.password.is_none() {
            request.password = self
                .kept_password(card, &payload)?
                .map(|p| p.expose_secret().to_string());
        }
        self.schedule(request, asker).await
    }
}

/// Binds a kept password's seal to the form card it belongs to.
fn kept_password_aad(card_id: &str) -> String {
    format!("{card_id}:kept-password")
}
