//! Webex webhook signatures: hex HMAC-SHA1 of the raw body, keyed with the webhook secret.
//!
//! Verification runs on the bytes exactly as received (never a re-serialisation), compares in
//! constant time (`verify_slice`), accepts any of the configured secrets so they can be rotated,
//! and fails closed on anything malformed.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;

type HmacSha1 = Hmac<Sha1>;

/// Length of a SHA-1 digest, so a truncated or padded signature is refused before any HMAC work.
const SIGNATURE_LEN: usize = 20;

/// True when `header` is a valid signature of `body` under one of `secrets`.
pub(crate) fn verify(secrets: &[SecretString], body: &[u8], header: Option<&[u8]>) -> bool {
    let Some(signature) = header.and_then(decode) else {
        return false;
    };
    secrets.iter().any(|secret| {
        HmacSha1::new_from_slice(secret.expose_secret().as_bytes())
            .map(|mut mac| {
                mac.update(body);
                mac.verify_slice(&signature).is_ok()
            })
            .unwrap_or(false)
    })
}

/// Signs a body the way Webex does (used by the emulator's tests and the ingress benchmark).
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = HmacSha1::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn decode(header: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(header).ok()?.trim();
    let bytes = hex::decode(text).ok()?;
    (bytes.len() == SIGNATURE_LEN).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "somesupersecretphrase";
    const BODY: &str = r#"{"id":"WH1","resource":"messages","event":"created","data":{"id":"MSG1","roomId":"R1","personEmail":"a@example.com"}}"#;
    const SPACED: &str = r#"{"id": "WH1", "resource": "messages", "event": "created", "data": {"id": "MSG1", "roomId": "R1", "personEmail": "a@example.com"}}"#;

    fn secrets(list: &[&str]) -> Vec<SecretString> {
        list.iter()
            .map(|s| SecretString::from(s.to_string()))
            .collect()
    }

    #[test]
    fn golden_vectors_from_the_reliability_reference() {
        assert_eq!(
            sign(SECRET, BODY.as_bytes()),
            "cd530f957de01bef09b07d54838479eec80ecea9"
        );
        assert_eq!(
            sign(SECRET, SPACED.as_bytes()),
            "ea3cd630d47c5416022dd857c0dc8665a3a5fb31"
        );
    }

    #[test]
    fn accepts_the_right_signature_in_either_case_and_with_a_rotated_secret() {
        let s = secrets(&["new-secret-value-1", SECRET]);
        let sig = "cd530f957de01bef09b07d54838479eec80ecea9";
        assert!(verify(&s, BODY.as_bytes(), Some(sig.as_bytes())));
        assert!(verify(
            &s,
            BODY.as_bytes(),
            Some(sig.to_uppercase().as_bytes())
        ));
    }

    #[test]
    fn fails_closed_on_everything_else() {
        let s = secrets(&[SECRET]);
        let good = sign(SECRET, BODY.as_bytes());
        let cases: Vec<(&str, Option<Vec<u8>>, &str)> = vec![
            ("missing", None, BODY),
            ("empty", Some(vec![]), BODY),
            (
                "non-hex",
                Some(b"zz530f957de01bef09b07d54838479eec80ecea9".to_vec()),
                BODY,
            ),
            ("too short", Some(good.as_bytes()[..38].to_vec()), BODY),
            ("too long", Some(format!("{good}00").into_bytes()), BODY),
            ("sha256 length", Some(vec![b'a'; 64]), BODY),
            (
                "re-serialised body",
                Some(good.clone().into_bytes()),
                SPACED,
            ),
            ("non-utf8", Some(vec![0xff, 0xfe]), BODY),
        ];
        for (name, header, body) in cases {
            assert!(
                !verify(&s, body.as_bytes(), header.as_deref()),
                "{name} accepted"
            );
        }
        let wrong = secrets(&["another-secret-entirely"]);
        assert!(
            !verify(&wrong, BODY.as_bytes(), Some(good.as_bytes())),
            "wrong secret accepted"
        );
        assert!(
            !verify(&[], BODY.as_bytes(), Some(good.as_bytes())),
            "no secrets accepted"
        );
    }
}
