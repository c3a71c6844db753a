#!/bin/sh
# Install or upgrade the Afterhours site agent on Linux. The hub serves this script at <hub>/agent/install.sh
# with its own address filled in below; a technician runs, at the office:
#
#   curl -fsSL https://desk.example.com/agent/install.sh | sudo sh -s -- --enrol CODE
#
# It downloads the right build for this machine (a self-contained executable when the hub has one for this
# architecture, else the one-file bundle when Node.js 20+ is installed), checks it against the hub's
# SHA256SUMS, installs it under /opt/afterhours-agent, creates the system user afterhours-agent and the
# systemd unit, enrols with CODE and starts the agent. Run again, it upgrades in place and keeps the
# agent's identity (its token in /var/lib/afterhours-agent/agent.json). See <hub>/docs/agent.
#
# Options:  --enrol CODE   one-time code from the hub's web app (needed the first time)
#           --re-enrol     replace an existing enrolment with CODE (a new identity)
#           --build B      auto (default), executable or node
#           --hub URL      another address for the hub than the one filled in
# Environment, for trying it out: AFTERHOURS_INSTALL_ROOT=DIR installs under DIR instead of / and then
# makes no system changes (no user, no chown, no systemctl; it prints how to run the agent).
set -eu

HUB='__AFTERHOURS_HUB_URL__'
ROOT="${AFTERHOURS_INSTALL_ROOT:-}"
PREFIX="$ROOT/opt/afterhours-agent"
DATA="$ROOT/var/lib/afterhours-agent"
UNIT_DIR="$ROOT/etc/systemd/system"
SERVICE=afterhours-agent
CODE=''
REENROL=0
BUILD=auto

say() { printf 'afterhours-agent install: %s\n' "$*"; }
die() {
  printf 'afterhours-agent install: %s\n' "$*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --enrol) [ $# -ge 2 ] || die "--enrol needs the code from the hub's web app"; CODE="$2"; shift 2 ;;
    --re-enrol) REENROL=1; shift ;;
    --build) [ $# -ge 2 ] || die '--build needs auto, executable or node'; BUILD="$2"; shift 2 ;;
    --hub) [ $# -ge 2 ] || die '--hub needs a URL'; HUB="${2%/}"; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0" 2>/dev/null || true; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
case "$BUILD" in auto | executable | node) ;; *) die "--build must be auto, executable or node (got $BUILD)" ;; esac
case "$HUB" in http://* | https://*) ;; *) die "the hub's address is not set; pass --hub https://your-hub" ;; esac

if [ -z "$ROOT" ]; then
  SYSTEM=1
  [ "$(id -u)" = 0 ] || die 'run it as root (sudo sh -s -- …): it creates a system user and a systemd unit'
else
  SYSTEM=0
  say "installing under $ROOT; no system user, no systemd (AFTERHOURS_INSTALL_ROOT is set)"
fi

fetch() { # fetch NAME FILE: one file from the hub's /agent/
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 --connect-timeout 15 --max-time 900 -o "$2" "$HUB/agent/$1" || die "could not download $HUB/agent/$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 30 -O "$2" "$HUB/agent/$1" || die "could not download $HUB/agent/$1"
  else
    die 'needs curl or wget'
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else openssl dgst -sha256 "$1" | sed 's/.*= *//'
  fi
}

verify() { # verify NAME FILE: the file's SHA-256 is the one the hub lists for NAME
  expected=$(awk -v f="$1" '$2 == f { print $1 }' "$TMP/SHA256SUMS")
  [ -n "$expected" ] || die "the hub lists no checksum for $1"
  actual=$(sha256 "$2")
  [ "$actual" = "$expected" ] || die "checksum mismatch for $1 (expected $expected, got $actual): not installed"
}

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
fetch SHA256SUMS "$TMP/SHA256SUMS"

case "$(uname -m)" in
  x86_64 | amd64) ARCH=x64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) ARCH='' ;;
esac
EXE="afterhours-agent-linux-$ARCH"
if [ "$BUILD" != node ] && [ -n "$ARCH" ] && grep -q "  $EXE\$" "$TMP/SHA256SUMS"; then
  FILE=$EXE
elif [ "$BUILD" = executable ]; then
  die "the hub has no executable for $(uname -m); use --build node with Node.js 20.19+"
elif node_ok; then
  FILE=afterhours-agent.cjs
else
  die "the hub has no executable for $(uname -m), and Node.js 20.19+ is not installed: install Node.js 20 or later and run this again"
fi

say "downloading $FILE from $HUB"
fetch "$FILE" "$TMP/$FILE"
verify "$FILE" "$TMP/$FILE"
fetch afterhours-agent.service "$TMP/unit"
verify afterhours-agent.service "$TMP/unit"

mkdir -p "$PREFIX" "$UNIT_DIR"
BEFORE=''
[ -x "$PREFIX/afterhours-agent" ] && BEFORE=$("$PREFIX/afterhours-agent" --version 2>/dev/null || echo unknown)

# Replace files by rename, so that a running agent keeps its old file and a cut-short run leaves no half file.
chmod 0755 "$TMP/$FILE"
cp "$TMP/$FILE" "$PREFIX/.$FILE.new"
mv -f "$PREFIX/.$FILE.new" "$PREFIX/$FILE"
if [ "$FILE" = afterhours-agent.cjs ]; then
  RUN="exec $(command -v node) $PREFIX/$FILE \"\$@\""
  rm -f "$PREFIX"/afterhours-agent-linux-*
else
  RUN="exec $PREFIX/$FILE \"\$@\""
  rm -f "$PREFIX/afterhours-agent.cjs"
fi
printf '#!/bin/sh\n# Written by the Afterhours agent install script; run it again to upgrade.\n%s\n' "$RUN" >"$PREFIX/.launcher.new"
chmod 0755 "$PREFIX/.launcher.new"
mv -f "$PREFIX/.launcher.new" "$PREFIX/afterhours-agent"
VERSION=$("$PREFIX/afterhours-agent" --version)
if [ -n "$BEFORE" ]; then say "upgraded $BEFORE -> $VERSION"; else say "installed $VERSION"; fi

if [ "$SYSTEM" = 1 ] && ! id -u "$SERVICE" >/dev/null 2>&1; then
  if command -v useradd >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/afterhours-agent --no-create-home --shell /usr/sbin/nologin "$SERVICE"
  else
    adduser -S -H -h /var/lib/afterhours-agent -s /sbin/nologin "$SERVICE"
  fi
  say "created the system user $SERVICE"
fi
mkdir -p "$DATA"
chmod 0700 "$DATA"

if [ -f "$DATA/agent.json" ] && [ "$REENROL" = 0 ]; then
  say 'already enrolled: keeping its identity'
  [ -z "$CODE" ] || say 'the --enrol code was not used (pass --re-enrol as well to replace the enrolment)'
elif [ -n "$CODE" ]; then
  "$PREFIX/afterhours-agent" --data-dir "$DATA" --hub "$HUB" --enrol "$CODE" --enrol-only >"$TMP/enrol.log" 2>&1 ||
    die "enrolment failed: $(tail -n 3 "$TMP/enrol.log")"
  say "enrolled with $HUB"
else
  die 'not enrolled yet: run this again with --enrol CODE (the code is shown when you add the agent in the web app)'
fi
[ "$SYSTEM" = 0 ] || chown -R "$SERVICE:$SERVICE" "$DATA"

cp "$TMP/unit" "$UNIT_DIR/.$SERVICE.service.new"
chmod 0644 "$UNIT_DIR/.$SERVICE.service.new"
mv -f "$UNIT_DIR/.$SERVICE.service.new" "$UNIT_DIR/$SERVICE.service"

if [ "$SYSTEM" = 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable "$SERVICE" >/dev/null 2>&1
  systemctl restart "$SERVICE"
  say "started: systemctl status $SERVICE; logs: journalctl -u $SERVICE -f"
else
  say "not started (no systemd here): run $PREFIX/afterhours-agent --data-dir $DATA"
fi
