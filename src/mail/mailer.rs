//! Where messages go: an SMTP server (pooled), a folder of `.eml` files, or memory.

use super::{Envelope, MailError, to_message};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A message the memory backend accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct SentMail {
    pub envelope: Envelope,
    /// The RFC 5322 bytes exactly as they would have gone over SMTP.
    pub raw: Vec<u8>,
}

/// Knobs for the SMTP backend; the defaults suit a relay on the same network.
#[derive(Debug, Clone)]
pub struct SmtpOptions {
    /// Per-command timeout; a hung server becomes a transient error instead of a stuck worker.
    pub timeout: Duration,
    /// Upper bound on pooled connections.
    pub pool_max_size: u32,
    /// Extra trust anchors (PEM) for a relay with a private CA, on top of the system roots.
    pub root_certificates_pem: Vec<Vec<u8>>,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            pool_max_size: 4,
            root_certificates_pem: Vec::new(),
        }
    }
}

/// Sends [`Envelope`]s. Cheap to clone; clones share the connection pool or the memory log.
#[derive(Clone)]
pub struct Mailer {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

impl std::fmt::Debug for Mailer {
    /// Names the backend only: the SMTP transport holds the credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.backend {
            Backend::Smtp(_) => "Smtp",
            Backend::Folder(_) => "Folder",
            Backend::Memory(_) => "Memory",
        };
        f.debug_struct("Mailer").field("backend", &kind).finish()
    }
}

/// How the connection is protected, from the URL's scheme and `tls=` parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Security {
    Plain,
    StartTlsRequired,
    StartTlsOpportunistic,
    Implicit,
}

impl Mailer {
    /// `smtp://host:port` (no TLS), `smtp://host?tls=required` (STARTTLS, no fallback; also
    /// `tls=starttls`), `smtp://host?tls=opportunistic`, `smtps://host` (implicit TLS), each with
    /// optional `user:pass@` (percent-encoded). Credentials are refused on a connection that
    /// could be plain text.
    pub fn from_url(smtp_url: &SecretString) -> Result<Self, MailError> {
        Self::from_url_with(smtp_url, &SmtpOptions::default())
    }

    ///
    /// Must run inside a Tokio runtime: the connection pool starts a background task.
    pub fn from_url_with(
        smtp_url: &SecretString,
        options: &SmtpOptions,
    ) -> Result<Self, MailError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(MailError::Invalid(
                "the SMTP mailer must be created inside a Tokio runtime".to_owned(),
            ));
        }
        let url = url::Url::parse(smtp_url.expose_secret())
            .map_err(|_| MailError::Invalid("SMTP_URL is not a valid URL".to_owned()))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| MailError::Invalid("SMTP_URL has no host".to_owned()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let security = security_of(&url)?;
        let port = url.port().unwrap_or(match security {
            Security::Plain => 25,
            Security::StartTlsRequired | Security::StartTlsOpportunistic => 587,
            Security::Implicit => 465,
        });
        let credentials = credentials_of(&url)?;
        if credentials.is_some()
            && matches!(security, Security::Plain | Security::StartTlsOpportunistic)
        {
            return Err(MailError::Invalid(
                "SMTP_URL has credentials but no required TLS; use smtps:// or ?tls=required"
                    .to_owned(),
            ));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .timeout(Some(options.timeout))
            .pool_config(
                PoolConfig::new()
                    .max_size(options.pool_max_size)
                    .min_idle(0),
            );
        if security != Security::Plain {
            let parameters = tls_parameters(&host, options)?;
            builder = builder.tls(match security {
                Security::StartTlsRequired => Tls::Required(parameters),
                Security::StartTlsOpportunistic => Tls::Opportunistic(parameters),
                Security::Implicit | Security::Plain => Tls::Wrapper(parameters),
            });
        }
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Self {
            backend: Backend::Smtp(builder.build()),
        })
    }

    /// Writes each message to `dir/<message-id>.eml`; a re-send of the same message replaces
    /// the file, as a real inbox would show one message per Message-ID.
    pub fn folder(dir: impl Into<PathBuf>) -> Self {
        Self {
            backend: Backend::Folder(dir.into()),
        }
    }

    /// Keeps messages in memory for tests; see [`Mailer::sent`].
    pub fn memory() -> Self {
        Self {
            backend: Backend::Memory(Arc::new(Mutex::new(Vec::new()))),
        }
    }

    /// What the memory backend has accepted, oldest first (empty for other backends).
    pub fn sent(&self) -> Vec<SentMail> {
        match &self.backend {
            Backend::Memory(log) => log.lock().map(|l| l.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub async fn send(&self, env: &Envelope) -> Result<(), MailError> {
        let message = to_message(env)?;
        match &self.backend {
            Backend::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|err| MailError::from_smtp(&err)),
            Backend::Folder(dir) => write_eml(dir, &env.message_id, &message.formatted()).await,
            Backend::Memory(log) => {
                let mut log = log
                    .lock()
                    .map_err(|_| MailError::Transient("memory mailer poisoned".to_owned()))?;
                log.push(SentMail {
                    envelope: env.clone(),
                    raw: message.formatted(),
                });
                Ok(())
            }
        }
    }
}

fn security_of(url: &url::Url) -> Result<Security, MailError> {
    let tls = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.to_ascii_lowercase());
    match (url.scheme(), tls.as_deref()) {
        ("smtp", None | Some("none")) => Ok(Security::Plain),
        ("smtp", Some("required" | "starttls")) => Ok(Security::StartTlsRequired),
        ("smtp", Some("opportunistic")) => Ok(Security::StartTlsOpportunistic),
        ("smtps", None | Some("wrapper" | "implicit")) => Ok(Security::Implicit),
        (scheme, tls) => Err(MailError::Invalid(format!(
            "SMTP_URL scheme {scheme:?} with tls={tls:?} is not supported; use smtp://, smtp://...?tls=required or smtps://"
        ))),
    }
}

fn credentials_of(url: &url::Url) -> Result<Option<Credentials>, MailError> {
    let Some(password) = url.password() else {
        return Ok(None);
    };
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| MailError::Invalid("SMTP_URL credentials are not decodable".to_owned()))
    };
    Ok(Some(Credentials::new(
        decode(url.username())?,
        decode(password)?,
    )))
}

fn tls_parameters(host: &str, options: &SmtpOptions) -> Result<TlsParameters, MailError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    for pem in &options.root_certificates_pem {
        let certificate = Certificate::from_pem(pem)
            .map_err(|_| MailError::Invalid("a root certificate is not valid PEM".to_owned()))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build_rustls()
        .map_err(|err| MailError::Invalid(format!("cannot set up TLS: {err}")))
}

async fn write_eml(dir: &Path, message_id: &str, raw: &[u8]) -> Result<(), MailError> {
    let stem: String = message_id
        .trim_matches(|c| c == '<' || c == '>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let transient =
        |err: std::io::Error| MailError::Transient(format!("cannot write the mail folder: {err}"));
    tokio::fs::create_dir_all(dir).await.map_err(transient)?;
    let temporary = dir.join(format!(".{stem}.tmp"));
    tokio::fs::write(&temporary, raw).await.map_err(transient)?;
    tokio::fs::rename(&temporary, dir.join(format!("{stem}.eml")))
        .await
        .map_err(transient)
}
