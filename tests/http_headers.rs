//! Issue 14 part 6: every answer the bot serves carries the security headers, the OAuth
//! callback pages above all (their URL carries the authorization code).

use crate::common::{sign, spawn_app};
use base64::Engine;
use sha2::{Digest, Sha256};

fn assert_hardened(what: &str, response: &reqwest::Response) {
    let headers = response.headers();
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {name} header in {headers:?}"))
            .to_string()
    };
    assert_eq!(get("cache-control"), "no-store", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    let csp = get("content-security-policy");
    assert!(csp.starts_with("default-src 'none';"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-"), "{what}: {csp}");
    assert!(!csp.contains("script-src"), "{what}: {csp}");
}

#[tokio::test]
async fn every_route_sends_the_security_headers() {
    let app = spawn_app().await;
    let base = &app.address;
    let gets = [
        "/oauth/callback",
        "/oauth/callback?code=abc&state=forged",
        "/oauth/callback?error=access_denied&state=forged",
        "/healthz",
        "/livez",
        "/readyz",
        "/no-such-page",
    ];
    for path in gets {
        let response = app.http.get(format!("{base}{path}")).send().await.unwrap();
        assert_hardened(path, &response);
    }
    let unsigned = app.post_webhook("{}", None).await;
    assert_eq!(unsigned.status(), 401);
    assert_hardened("unsigned webhook", &unsigned);
    let signed_garbage = app.post_webhook("{}", Some(&sign("{}"))).await;
    assert_hardened("signed non-envelope", &signed_garbage);
}

#[tokio::test]
async fn the_callback_page_style_is_the_one_the_policy_allows() {
    let app = spawn_app().await;
    let response = app
        .http
        .get(format!("{}/oauth/callback?code=x&state=y", app.address))
        .send()
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let page = response.text().await.unwrap();
    let start = page.find("<style>").expect("an inline style") + "<style>".len();
    let end = start + page[start..].find("</style>").unwrap();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&page[start..end]));
    assert!(
        csp.contains(&format!("style-src 'sha256-{hash}'")),
        "the browser would refuse the page's own style: {csp}"
    );
    assert!(!page.contains("<script"), "{page}");
}
