//! Keeping the bot's Webex webhooks as they should be.
//!
//! Webex disables a webhook after repeated failed deliveries and never re-enables it, and old
//! deployments leave webhooks pointing at URLs that no longer exist. Reconciling on startup and
//! periodically brings the set back to exactly one active webhook per event we handle.

use crate::webex::{NewWebhook, UpdateWebhook, WebexClient, WebexError, Webhook, WebhookStatus};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// The events the bot handles.
pub(crate) const EVENTS: [(&str, &str); 3] = [
    ("messages", "created"),
    ("attachmentActions", "created"),
    ("memberships", "created"),
];

/// Names start with this so the bot recognises its own webhooks (and leaves others alone).
pub(crate) const NAME_PREFIX: &str = "webex-scheduler";

/// What a reconciliation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub created: usize,
    pub reactivated: usize,
    pub deleted: usize,
    pub kept: usize,
}

/// What has to change, decided without any I/O so it can be tested on its own.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    create: Vec<(&'static str, &'static str)>,
    reactivate: Vec<String>,
    delete: Vec<String>,
    keep: usize,
}

fn name(w: &Webhook) -> &str {
    w.name.as_deref().unwrap_or("")
}

fn points_at(w: &Webhook, target: &Url) -> bool {
    w.target_url.as_deref() == Some(target.as_str())
}

fn handles(w: &Webhook, resource: &str, event: &str) -> bool {
    w.resource.as_deref() == Some(resource) && w.event.as_deref() == Some(event)
}

/// Whether a webhook still signs with an older secret (after `WEBEX_WEBHOOK_SECRET` rotated).
fn signs_with_old_secret(w: &Webhook, current: &SecretString) -> bool {
    w.secret
        .as_ref()
        .is_some_and(|s| s.expose_secret() != current.expose_secret())
}

fn plan(existing: &[Webhook], target: &Url, secret: &SecretString) -> Plan {
    let mut plan = Plan::default();
    for (resource, event) in EVENTS {
        let mut matching = existing
            .iter()
            .filter(|w| points_at(w, target) && handles(w, resource, event));
        match matching.next() {
            None => plan.create.push((resource, event)),
            Some(first)
                if first.status == Some(WebhookStatus::Inactive)
                    || signs_with_old_secret(first, secret) =>
            {
                plan.reactivate.push(first.id.clone())
            }
            Some(_) => plan.keep += 1,
        }
        plan.delete.extend(matching.map(|w| w.id.clone()));
    }
    // Ours, but pointing elsewhere (an old PUBLIC_URL) or for an event we no longer handle.
    plan.delete.extend(
        existing
            .iter()
            .filter(|w| name(w).starts_with(NAME_PREFIX))
            .filter(|w| !points_at(w, target) || !EVENTS.iter().any(|(r, e)| handles(w, r, e)))
            .map(|w| w.id.clone()),
    );
    plan
}

/// Brings the bot's webhooks in line with the configuration.
pub async fn sync(
    webex: &WebexClient,
    target: &Url,
    secret: &SecretString,
) -> Result<SyncReport, WebexError> {
    let existing = webex.webhooks().await?;
    let plan = plan(&existing, target, secret);
    for (resource, event) in &plan.create {
        webex
            .create_webhook(&NewWebhook {
                name: format!("{NAME_PREFIX} {resource}/{event}"),
                target_url: target.to_string(),
                resource: resource.to_string(),
                event: event.to_string(),
                filter: None,
                secret: Some(secret.clone()),
            })
            .await?;
    }
    for id in &plan.reactivate {
        let hook = existing.iter().find(|w| &w.id == id);
        webex
            .update_webhook(
                id,
                &UpdateWebhook {
                    name: hook
                        .map(|w| name(w).to_string())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| NAME_PREFIX.into()),
                    target_url: target.to_string(),
                    secret: Some(secret.clone()),
                    status: Some(WebhookStatus::Active),
                },
            )
            .await?;
        tracing::warn!(webhook = %id, "updated a webhook that was disabled or signed with an old secret");
    }
    for id in &plan.delete {
        match webex.delete_webhook(id).await {
            Ok(()) | Err(WebexError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(SyncReport {
        created: plan.create.len(),
        reactivated: plan.reactivate.len(),
        deleted: plan.delete.len(),
        kept: plan.keep,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(id: &str, name: &str, resource: &str, event: &str, url: &str, status: &str) -> Webhook {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "targetUrl": url, "resource": resource, "event": event,
            "status": status, "created": "2026-01-01T00:00:00.000Z"
        }))
        .expect("webhook json")
    }

    #[test]
    fn a_webhook_signing_with_a_rotated_out_secret_is_updated() {
        let t = "https://bot.example.com/webhooks/webex";
        let target = Url::parse(t).unwrap();
        let mut old = hook(
            "1",
            "webex-scheduler messages/created",
            "messages",
            "created",
            t,
            "active",
        );
        old.secret = Some(SecretString::from("previous-secret-value"));
        let mut same = hook(
            "2",
            "webex-scheduler memberships/created",
            "memberships",
            "created",
            t,
            "active",
        );
        same.secret = Some(SecretString::from("current-secret-value"));
        let p = plan(
            &[old, same],
            &target,
            &SecretString::from("current-secret-value"),
        );
        assert_eq!(p.reactivate, vec!["1".to_string()]);
        assert_eq!(p.keep, 1);
    }

    #[test]
    fn empty_account_gets_one_webhook_per_event() {
        let target = Url::parse("https://bot.example.com/webhooks/webex").unwrap();
        let p = plan(&[], &target, &SecretString::from("current-secret-value"));
        assert_eq!(p.create, EVENTS.to_vec());
        assert!(p.delete.is_empty() && p.reactivate.is_empty());
    }

    #[test]
    fn inactive_is_reactivated_duplicates_and_stale_urls_deleted_strangers_kept() {
        let t = "https://bot.example.com/webhooks/webex";
        let target = Url::parse(t).unwrap();
        let existing = vec![
            hook(
                "1",
                "webex-scheduler messages/created",
                "messages",
                "created",
                t,
                "inactive",
            ),
            hook(
                "2",
                "webex-scheduler messages/created",
                "messages",
                "created",
                t,
                "active",
            ),
            hook(
                "3",
                "webex-scheduler attachmentActions/created",
                "attachmentActions",
                "created",
                t,
                "active",
            ),
            hook(
                "4",
                "webex-scheduler memberships/created",
                "memberships",
                "created",
                "https://old.example.com/webhooks/webex",
                "active",
            ),
            hook(
                "5",
                "someone else's",
                "rooms",
                "created",
                "https://other.example.com/x",
                "active",
            ),
        ];
        let p = plan(
            &existing,
            &target,
            &SecretString::from("current-secret-value"),
        );
        assert_eq!(p.reactivate, vec!["1".to_string()]);
        assert_eq!(p.create, vec![("memberships", "created")]);
        assert_eq!(p.keep, 1);
        let mut deleted = p.delete.clone();
        deleted.sort();
        assert_eq!(deleted, vec!["2".to_string(), "4".to_string()]);
    }
}
