#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback (installing it if needed) and print a URL for the sink's
# tests: a superuser role `vigil` with a throwaway password and a database `vigil_test`.
# Idempotent: safe to run when the server already runs. Used by .ci/run; developers run it once
# and export what it prints:  export VIGIL_TEST_PG_URL=$(bash .ci/postgres.sh)
set -euo pipefail
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main"' | grep -q .; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  su postgres -c "psql -p $port -Atqc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $port -Atqc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='vigil') THEN CREATE ROLE vigil LOGIN SUPERUSER PASSWORD 'vigil-test'; END IF; END \\\$\\\$;\"" >&2
su postgres -c "psql -p $port -Atqc \"SELECT 1 FROM pg_database WHERE datname='vigil_test'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O vigil vigil_test" >&2
echo "postgres://vigil:vigil-test@127.0.0.1:$port/vigil_test"
