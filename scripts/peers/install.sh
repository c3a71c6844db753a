#!/usr/bin/env bash
# Installs the Debian packages whose servers the check tests (packages/checks) talk to.
# Idempotent: installs only what is missing. Services are NOT started by the install;
# each test starts its own peer on a loopback high port.
#   kamailio        SIP OPTIONS (sip check)
#   openssh-server  sshd banner (ssh check); openssh-client for ssh-keygen
#   snmpd           SNMP v2c/v3 GET (snmp check)
#   dovecot-imapd   IMAP banner and LOGIN (imap check)
#   iputils-ping    ICMP echo (ping check)
#   openssl         certificates made by the http/tls tests
#   nut-server/-client  upsd with the dummy-ups driver (UPS readings, power tests)
#   ipmitool, openipmi  IPMI power actions against ipmi_sim
set -euo pipefail

packages=(kamailio openssh-server openssh-client snmpd dovecot-imapd iputils-ping openssl nut-server nut-client ipmitool openipmi)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "peers: all present (${packages[*]})"
  exit 0
fi

echo "peers: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Keep the package scripts from starting system-wide daemons (sshd on :22, snmpd on :161…).
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" -eq 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/afterhours-peers-apt.log 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/afterhours-peers-apt.log 2>&1 \
    || { tail -n 30 /tmp/afterhours-peers-apt.log; exit 1; }
fi
echo "peers: installed ${missing[*]}"
