//! The load balancer of the multi-replica test: round robin over the live replicas, as a
//! deployment's reverse proxy would be, counting which replica got each webhook delivery.

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The load balancer: forwards each request to the next live replica, counting deliveries.
#[derive(Clone, Default)]
pub(super) struct Balancer {
    pub(super) backends: Arc<Mutex<Vec<u16>>>,
    pub(super) deliveries: Arc<Mutex<HashMap<u16, usize>>>,
    next: Arc<std::sync::atomic::AtomicUsize>,
}

impl Balancer {
    pub(super) async fn start(&self) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let this = self.clone();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let app = axum::Router::new().fallback(move |request: Request| {
            let (this, client) = (this.clone(), client.clone());
            async move { this.forward(&client, request).await }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        port
    }

    async fn forward(&self, client: &reqwest::Client, request: Request) -> Response {
        let backend = {
            let backends = self.backends.lock().unwrap();
            let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            backends[i % backends.len()]
        };
        let (parts, body) = request.into_parts();
        if parts.uri.path() == "/webhooks/webex" {
            *self.deliveries.lock().unwrap().entry(backend).or_default() += 1;
        }
        let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let mut headers = parts.headers.clone();
        headers.remove(axum::http::header::HOST);
        let answer = client
            .request(parts.method, format!("http://127.0.0.1:{backend}{path}"))
            .headers(headers)
            .body(body)
            .send()
            .await;
        match answer {
            Ok(answer) => {
                let mut response = Response::builder().status(answer.status());
                for (name, value) in answer.headers() {
                    response = response.header(name, value);
                }
                response
                    .body(Body::from(answer.bytes().await.unwrap_or_default()))
                    .unwrap()
            }
            Err(_) => Response::builder().status(502).body(Body::empty()).unwrap(),
        }
    }

    pub(super) fn route_to(&self, ports: &[u16]) {
        *self.backends.lock().unwrap() = ports.to_vec();
    }
}
