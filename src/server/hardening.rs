//! Security headers on every answer the bot serves.
//!
//! The OAuth callback's URL carries the authorization code and its pages tell a person what
//! happened, so above all they must not be cached (`no-store`), must not leak their URL to
//! another site (`no-referrer`), must not be framed (clickjacking) and must not run anything
//! they did not bring. The other routes answer machines, but the same headers cost nothing
//! there and a route added later cannot forget them: the layer wraps the whole router,
//! including its 404 fallback and the 408 of the request timeout.

use super::oauth::PAGE_STYLE;
use axum::http::{HeaderName, HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy: nothing at all may load or run, except the one inline style
/// the pages carry, named by its hash (so an injected `<style>` would not apply either).
pub(crate) fn content_security_policy() -> String {
    let hash = Sha256::digest(PAGE_STYLE.as_bytes());
    let hash = base64::engine::general_purpose::STANDARD.encode(hash);
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'"
    )
}

type HeaderLayer = SetResponseHeaderLayer<HeaderValue>;
type FourHeaders =
    Stack<HeaderLayer, Stack<HeaderLayer, Stack<HeaderLayer, Stack<HeaderLayer, Identity>>>>;

/// One layer setting the four headers, replacing any a handler set.
pub(crate) fn layer() -> ServiceBuilder<FourHeaders> {
    let csp = HeaderValue::from_str(&content_security_policy())
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    ServiceBuilder::new()
        .layer(set(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(set(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(set(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(set(header::CONTENT_SECURITY_POLICY, csp))
}

fn set(name: HeaderName, value: HeaderValue) -> HeaderLayer {
    SetResponseHeaderLayer::overriding(name, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_pages_style_and_nothing_else() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        // One hash, of exactly the style the pages carry.
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(PAGE_STYLE.as_bytes()));
        assert!(
            csp.contains(&format!("style-src 'sha256-{expected}'")),
            "{csp}"
        );
        assert_eq!(csp.matches("sha256-").count(), 1, "{csp}");
    }
}
