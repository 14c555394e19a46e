//! Mail errors, split by what the outbox should do next.

/// What went wrong, and whether trying again later can help.
///
/// The texts are built here from error *kinds* and SMTP replies; they never contain the
/// `SMTP_URL` or its credentials, so `Debug` and `Display` are safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Retry with backoff: the server is down or busy, the network failed, a 4xx reply.
    #[error("temporary mail failure: {0}")]
    Transient(String),
    /// Do not retry this message: the server refused it for good (5xx reply).
    #[error("permanent mail failure: {0}")]
    Permanent(String),
    /// The message or configuration is wrong before anything was sent (bad address, bad
    /// SMTP_URL); retrying cannot help until the input changes.
    #[error("invalid mail: {0}")]
    Invalid(String),
}

impl MailError {
    /// True when the outbox should keep the message and try again later.
    pub fn is_transient(&self) -> bool {
        matches!(self, MailError::Transient(_))
    }

    pub(crate) fn from_smtp(err: &lettre::transport::smtp::Error) -> Self {
        if err.is_permanent() {
            MailError::Permanent(err.to_string())
        } else if err.is_client() {
            MailError::Permanent(format!("rejected by the SMTP client: {err}"))
        } else {
            // 4xx replies, timeouts, refused or reset connections, TLS handshakes that failed
            // because the server was restarting: all may succeed later, and the outbox's
            // attempt budget stops a retry loop that never does.
            MailError::Transient(err.to_string())
        }
    }
}
