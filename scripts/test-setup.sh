#!/usr/bin/env bash
# Everything `npm test` needs on this kind of machine, installed and started if missing (idempotent, quick when
# all is there): the real servers the tests talk to, Chromium for the end-to-end tests, and PostgreSQL with its
# `test` database. Runs as root, or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "test-setup: not root and no sudo: install the Debian packages in scripts/peers/install.sh and chromium yourself" >&2
  fi
fi
export DEBIAN_FRONTEND=noninteractive

bash scripts/peers/install.sh

if ! command -v chromium >/dev/null 2>&1; then
  echo "test-setup: installing chromium"
  $SUDO apt-get install -y -qq chromium >/tmp/afterhours-chromium-apt.log 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/tmp/afterhours-chromium-apt.log 2>&1; } \
    || { tail -n 20 /tmp/afterhours-chromium-apt.log; exit 1; }
fi

# PostgreSQL for the tests' second database, unless TEST_DATABASE_URL points elsewhere.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
      echo "test-setup: installing postgresql"
      $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql >/dev/null
    fi
    echo "test-setup: starting postgresql"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc 'create database test'
fi
echo "test-setup: ready"
