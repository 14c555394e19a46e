# Build: docker build -t webex-scheduler .
# Run:   docker run --read-only --env-file bot.env -p 8080:8080 \
#          -v webex-scheduler-data:/var/lib/webex-scheduler webex-scheduler
# The root file system can (and should) be read-only: the bot writes only under
# /var/lib/webex-scheduler (its database in data/, its support logs in logs/), which is a volume.
# Every variable is described in the README's configuration table.

# The toolchain is the highest `rust-version` of the locked dependencies (tests/image.rs).
FROM rust:1.89-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin webex-scheduler

FROM debian:bookworm-slim
# A fixed numeric user, so orchestrators can check `runAsNonRoot` without reading /etc/passwd.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/webex-scheduler webex-scheduler \
    && mkdir -p /var/lib/webex-scheduler/data /var/lib/webex-scheduler/logs \
    && chown -R 10001:10001 /var/lib/webex-scheduler
COPY --from=build /src/target/release/webex-scheduler /usr/local/bin/webex-scheduler
USER 10001:10001
WORKDIR /var/lib/webex-scheduler
VOLUME ["/var/lib/webex-scheduler"]
ENV LISTEN_ADDR=0.0.0.0:8080 \
    DATABASE_URL=sqlite://data/webex-scheduler.db \
    LOG_FORMAT=json \
    LOG_DIR=/var/lib/webex-scheduler/logs
EXPOSE 8080
# Liveness only: a database outage must take the replica out of traffic (/readyz, see the
# README), not restart it. The image has no curl; the binary probes itself.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["webex-scheduler", "healthcheck"]
ENTRYPOINT ["webex-scheduler"]
CMD ["serve"]
