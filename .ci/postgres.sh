#!/usr/bin/env bash
# Start a local PostgreSQL (Debian's default cluster) and create the test catalog database.
# Prints the URL to put in TUSACH_TEST_DATABASE_URL. Safe to run again.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v pg_lsclusters >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
read -r version cluster _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1); cluster=main
  $SUDO pg_createcluster "$version" "$cluster" >&2
fi
$SUDO pg_ctlcluster "$version" "$cluster" start >&2 2>/dev/null || true
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
as_postgres() { if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_roles WHERE rolname='tusach'" | grep -q 1 \
  || as_postgres psql -q -p "$port" -c "CREATE ROLE tusach LOGIN PASSWORD 'tusach'" >&2
as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_database WHERE datname='tusach_test'" | grep -q 1 \
  || as_postgres createdb -p "$port" -O tusach tusach_test >&2
echo "postgresql+psycopg://tusach:tusach@127.0.0.1:${port}/tusach_test"
