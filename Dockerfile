# Build: docker build -t webex-scheduler .
FROM rust:1.85-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/webex-scheduler webex-scheduler \
    && mkdir -p /var/lib/webex-scheduler/data && chown webex-scheduler /var/lib/webex-scheduler/data
COPY --from=build /src/target/release/webex-scheduler /usr/local/bin/webex-scheduler
USER webex-scheduler
WORKDIR /var/lib/webex-scheduler
ENV LISTEN_ADDR=0.0.0.0:8080 DATABASE_URL=sqlite://data/webex-scheduler.db LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["webex-scheduler"]
CMD ["serve"]
