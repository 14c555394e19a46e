//! The MIME tree of an invitation.

use super::{Envelope, MailError};
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use scheduler_core::invite::{Person, normalize_line};

/// `multipart/mixed` holding `multipart/alternative` (text/plain, text/html,
/// `text/calendar; method=...`) and an `application/ics` attachment.
///
/// The calendar parts are base64 so that no relay can rewrap the folded lines or strip the
/// trailing space a fold may leave.
pub fn to_message(env: &Envelope) -> Result<Message, MailError> {
    if env
        .message_id
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(MailError::Invalid(
            "the Message-ID contains whitespace".to_owned(),
        ));
    }
    let method = env.method.as_str();
    let calendar_type = content_type(&format!("text/calendar; method={method}; charset=UTF-8"))?;
    let calendar_part = SinglePart::builder()
        .header(calendar_type)
        .header(ContentTransferEncoding::Base64)
        .body(env.ics.clone());
    let attachment_body = Body::new_with_encoding(env.ics.clone(), ContentTransferEncoding::Base64)
        .map_err(|_| MailError::Invalid("the calendar cannot be base64-encoded".to_owned()))?;
    let attachment = Attachment::new(attachment_name(env).to_owned())
        .body(attachment_body, content_type("application/ics")?);

    let mut builder = Message::builder()
        .message_id(Some(env.message_id.clone()))
        .from(mailbox(&env.from)?)
        .to(mailbox(&env.to)?)
        .subject(header_text(&env.subject));
    if let Some(reply_to) = &env.reply_to {
        builder = builder.reply_to(mailbox(reply_to)?);
    }
    builder
        .multipart(
            MultiPart::mixed()
                .multipart(
                    MultiPart::alternative()
                        .singlepart(SinglePart::plain(env.text.clone()))
                        .singlepart(SinglePart::html(env.html.clone()))
                        .singlepart(calendar_part),
                )
                .singlepart(attachment),
        )
        .map_err(|err| MailError::Invalid(format!("cannot assemble the message: {err}")))
}

fn attachment_name(env: &Envelope) -> &'static str {
    match env.method {
        scheduler_core::invite::Method::Request => "invite.ics",
        scheduler_core::invite::Method::Cancel => "cancel.ics",
    }
}

/// A mailbox whose display name is one clean line (lettre then quotes or RFC 2047-encodes it).
fn mailbox(person: &Person) -> Result<Mailbox, MailError> {
    let address =
        person.email.trim().parse().map_err(|_| {
            MailError::Invalid("an address is not a valid e-mail address".to_owned())
        })?;
    let name = person
        .name
        .as_deref()
        .map(header_text)
        .filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, address))
}

/// One clean line that no reader will take for an RFC 2047 encoded word: lettre leaves ASCII
/// text alone, so a title containing `=?utf-8?b?...?=` would otherwise be *decoded* by the
/// recipient's client into other text. A zero-width space after `=` keeps it literal (and,
/// being non-ASCII, makes lettre encode the value properly).
fn header_text(text: &str) -> String {
    normalize_line(text).replace("=?", "=\u{200B}?")
}

fn content_type(value: &str) -> Result<ContentType, MailError> {
    ContentType::parse(value).map_err(|_| MailError::Invalid(format!("bad content type {value}")))
}
