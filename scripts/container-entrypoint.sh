#!/bin/sh
# The container image's entry point (Dockerfile; README, Container).
#   web     migrate (and seed the demo only with TARMO_SEED_DEMO=1), then the web app on $PORT
#   worker  the executor (it migrates too, one process at a time)
#   …       anything else runs as given, e.g. `npm run user:add -- --email … --role admin`
set -eu
PORT="${PORT:-3000}"
APP_URL="${APP_URL:-http://localhost:$PORT}"
# As `npm start` does: next-auth builds its URLs (and the cookie's Secure flag) from NEXTAUTH_URL.
NEXTAUTH_URL="${NEXTAUTH_URL:-$APP_URL}"
export PORT APP_URL NEXTAUTH_URL

case "${1:-web}" in
  web)
    [ "$#" -gt 0 ] && shift
    node node_modules/tsx/dist/cli.mjs scripts/bootstrap.ts
    # exec: the server is the container's main process and receives its SIGTERM.
    exec node node_modules/next/dist/bin/next start --hostname 0.0.0.0 --port "$PORT" "$@"
    ;;
  worker)
    shift
    exec node --import tsx scripts/worker.ts "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
