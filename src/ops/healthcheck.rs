//! `webex-scheduler healthcheck [--ready]`: the container's own probe.
//!
//! The slim image has no curl or wget, and a shell's `/dev/tcp` only proves that something
//! accepts connections. This asks the running bot's `/livez` (or `/readyz`) over HTTP and
//! exits 0 only on a 200, printing the answer so `docker inspect` shows why it failed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

/// Docker's default probe timeout is 30 s; answering well within it keeps a hung bot from
/// looking like a slow one.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Probes the bot listening on `listen_addr` (the `LISTEN_ADDR` it was started with).
pub async fn run(listen_addr: SocketAddr, ready: bool) -> ExitCode {
    let path = if ready { "readyz" } else { "livez" };
    let url = format!("http://{}/{path}", reachable(listen_addr));
    match probe(&url).await {
        Ok((200, body)) => {
            println!("{path}: {body}");
            ExitCode::SUCCESS
        }
        Ok((status, body)) => {
            eprintln!("{path}: HTTP {status}: {body}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{path}: no answer from {url}: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn probe(url: &str) -> Result<(u16, String), reqwest::Error> {
    let client = reqwest::Client::builder().timeout(PROBE_TIMEOUT).build()?;
    let response = client.get(url).send().await?;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    Ok((status, body.trim().chars().take(200).collect()))
}

/// A server bound to every interface (`0.0.0.0`, `::`) is reached on loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unspecified_address_is_probed_on_loopback() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(reachable(any).to_string(), "127.0.0.1:8080");
        let any6: SocketAddr = "[::]:9000".parse().unwrap();
        assert_eq!(reachable(any6).to_string(), "[::1]:9000");
        let named: SocketAddr = "10.1.2.3:8080".parse().unwrap();
        assert_eq!(reachable(named), named);
    }
}
