# syntax=docker/dockerfile:1
# Tarmo's container image (README, Container): one image, web app or worker by its command.
#   docker build -t tarmo .
#   docker run … tarmo web       # migrate, then the web app on $PORT (default 3000)
#   docker run … tarmo worker    # the executor
#   docker run … tarmo npm run apikey:create -- --name N --scopes read,write   (any other command runs as is)
# NODE_IMAGE is the official Node.js 22 LTS slim image; scripts/container-smoke.sh builds a stand-in
# with the same layout where no image registry is reachable.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CI=true
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm 11 as in development and CI: Node 22's npm 10 rejects the lock file npm 11 writes (an optional
# peer, esbuild for vite, counts as missing) and would ignore package.json's allowScripts.
# better-sqlite3 compiles from source (no prebuilt binary is downloaded) against the headers that ship
# with Node in /usr/local/include/node (npm_config_nodedir), so node-gyp downloads nothing either.
# Behind a TLS-intercepting proxy, hand its CA bundle in as a build secret (never stored in a layer):
#   docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt .
ARG NPM_VERSION=11
RUN --mount=type=secret,id=ca \
  --mount=type=cache,id=tarmo-npm,target=/root/.npm \
  if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
  && npm install --global --no-audit --no-fund "npm@${NPM_VERSION}" \
  && npm_config_nodedir=/usr/local npm ci --no-audit --no-fund

# The runtime dependencies alone (tsx runs the worker and the CLI scripts); depends on the lock file
# only, so a source change reuses this layer.
FROM deps AS runtime-deps
RUN npm prune --omit=dev --no-audit --no-fund --loglevel=error

# The production build (Turbopack's cache kept between builds).
FROM deps AS build
COPY . .
RUN --mount=type=cache,id=tarmo-next,target=/app/.next/cache npx next build

FROM ${NODE_IMAGE}
WORKDIR /app
# TARMO_SEED_DEMO=0: a container starts with an empty workspace (create an admin with user:add), never
# with the demo's accounts and customers. The data directory (secrets, SQLite file if used, exports,
# import uploads) is the volume /data.
ENV NODE_ENV=production \
  NEXT_TELEMETRY_DISABLED=1 \
  PORT=3000 \
  TARMO_DATA_DIR=/data \
  DATABASE_URL=file:/data/tarmo.db \
  TARMO_SEED_DEMO=0
RUN groupadd --system --gid 10001 tarmo \
  && useradd --system --uid 10001 --gid tarmo --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin tarmo \
  && mkdir -p /data \
  && chown tarmo:tarmo /data \
  && chmod 700 /data
# The application files belong to root and are read-only for the user the processes run as.
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.mjs /app/tsconfig.json ./
COPY --from=build /app/.next/ ./.next/
COPY --from=build /app/lib ./lib
COPY --from=build /app/db ./db
COPY --from=build /app/scripts ./scripts
# Next.js may cache rendered images and fetches here; nothing else under /app is writable.
RUN mkdir -p .next/cache && chown tarmo:tarmo .next/cache
USER tarmo
VOLUME ["/data"]
EXPOSE 3000
# Readiness of the web app (database, migrations, a worker's heartbeat, outbox lag); compose gives
# the worker its own check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/scripts/container-health.mjs"]
ENTRYPOINT ["sh", "/app/scripts/container-entrypoint.sh"]
CMD ["web"]
