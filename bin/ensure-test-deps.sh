#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium (e2e, image exports), PostgreSQL (store
# contract tests), HAProxy (the LB source test drives a real haproxy), kubectl (the deploy/ tests render
# it with kubectl's built-in kustomize) and faketime (CI runs the tests again with the clock a year ahead).
# Installs what is missing with apt-get when run as root; otherwise says what to run.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x "${HAPROXY_PATH:-/usr/sbin/haproxy}" ] || missing+=(haproxy)
command -v kubectl >/dev/null || missing+=(kubectl)
command -v faketime >/dev/null || missing+=(faketime)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "drainscope tests need: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} from Debian's packages…" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
if [ ! -x "$chromium" ] && [[ " ${missing[*]} " == *" chromium "* ]]; then
  echo "chromium was installed but $chromium does not exist; set CHROMIUM_PATH" >&2
  exit 1
fi
