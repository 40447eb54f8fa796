#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth and a `test` database,
# for the tests/pg suites (TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test).
# Installs Debian's postgresql if it is missing (CI on a fresh machine). Idempotent; exits non-zero
# if the server still does not answer, so CI fails instead of skipping.
set -euo pipefail

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Test server on loopback only: trust auth, as the suites expect.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$hba"
  fi
  pg_ctlcluster "$version" main start || pg_ctlcluster "$version" main restart
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
fi
pg_isready -h 127.0.0.1 -p 5432
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres test
fi
