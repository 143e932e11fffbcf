# syntax=docker/dockerfile:1
# Build stage: the same release binary `cargo run --release` builds.
FROM rust:1.95-bookworm AS build
WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when the manifests change, not on
# every source change. Every target the manifest declares gets an empty stand-in so that cargo
# accepts the manifest (scripts/stand-ins.sh); those in src/ make way for the real sources, the
# others (benches, examples) stay, as the image builds only the service's binary.
COPY Cargo.toml Cargo.lock clippy.toml ./
# The build settings every checkout shares (how the bundled SQLite is compiled).
COPY .cargo ./.cargo
COPY scripts/stand-ins.sh /usr/local/bin/stand-ins
RUN stand-ins \
    && cargo build --release --locked --bin jixiao \
    && rm -rf src

COPY src ./src
# The dashboard page and Apache ECharts are built into the binary.
COPY assets ./assets
COPY data/rulesets ./data/rulesets
COPY data/examples ./data/examples
# COPY keeps the files' own times, which may be older than the stand-ins' build: make sure cargo
# rebuilds the crate itself from the real sources.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin jixiao

# Runtime stage: a small image running as an unprivileged user, with the SQLite file on a volume.
FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 jixiao \
    && useradd --system --uid 10001 --gid jixiao --home-dir /var/lib/jixiao --shell /usr/sbin/nologin jixiao \
    && mkdir -p /var/lib/jixiao \
    && chown jixiao:jixiao /var/lib/jixiao
COPY --from=build /src/target/release/jixiao /usr/local/bin/jixiao
COPY data/rulesets /usr/share/jixiao/rulesets
COPY data/examples /usr/share/jixiao/examples
ENV JIXIAO_ADDR=0.0.0.0:8080 \
    JIXIAO_DB=/var/lib/jixiao/jixiao.db \
    JIXIAO_RULESETS_DIR=/usr/share/jixiao/rulesets \
    JIXIAO_EXAMPLES_DIR=/usr/share/jixiao/examples
VOLUME ["/var/lib/jixiao"]
EXPOSE 8080
USER 10001:10001
STOPSIGNAL SIGTERM
# The binary asks itself: no curl in the image. It reads JIXIAO_ADDR like the service.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/jixiao", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/jixiao"]
CMD ["serve"]
