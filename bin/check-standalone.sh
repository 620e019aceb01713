#!/usr/bin/env bash
# `npm run check:standalone`: what the container image would do, without a Docker engine.
#   1. build the image's app folder with bin/build-image-app.sh (the Dockerfile's build stage runs it too);
#   2. copy it to a clean temporary directory, root-owned and read-only (as /app in the image);
#   3. start `node cli.mjs start` from there as `nobody`, with the environment of the Dockerfile's
#      runtime-stage ENV lines (/app and /data mapped to the temporary folders; only the listen address and
#      port are changed: 127.0.0.1 and CHECK_PORT, default 3300), HOME and /tmp as the only writable places;
#   4. check /api/health, /api/livez, /api/readyz, /metrics and the bundled CLI; stop the server by PID.
# Root is needed to drop to `nobody` (setpriv); CI runs as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
port="${CHECK_PORT:-3300}"
user_id=65534

if [ "$(id -u)" -ne 0 ]; then
  echo "check:standalone must run as root (it starts the server as the non-root user $user_id with setpriv)" >&2
  exit 1
fi
[ "${SKIP_BUILD:-}" = 1 ] || bash bin/build-image-app.sh dist/image

work="$(mktemp -d /tmp/drainscope-standalone.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"
app="$work/app"
data="$work/data"
tmp="$work/tmp"
cp -a dist/image "$app"
chown -R 0:0 "$app"
chmod -R a-w "$app"
mkdir -p "$data" "$tmp"
chown "$user_id:$user_id" "$data" "$tmp"

# The runtime stage's ENV lines, with the image's paths mapped to the temporary folders.
env_args=()
while IFS= read -r line; do
  kv="${line#ENV }"
  kv="${kv//\/app/$app}"
  kv="${kv//\/data/$data}"
  env_args+=("$kv")
done < <(awk '/^FROM .* AS runtime/{rt=1} rt && /^ENV [A-Z_]+=/{print}' Dockerfile)
[ "${#env_args[@]}" -gt 0 ] || { echo "no ENV lines found in the Dockerfile's runtime stage" >&2; exit 1; }
env_args+=("HOME=$tmp" "TMPDIR=$tmp" "DRAINSCOPE_HOST=127.0.0.1" "PORT=$port" "PATH=/usr/local/bin:/usr/bin:/bin")
echo "environment: ${env_args[*]}"

as_user() {
  setpriv --reuid="$user_id" --regid="$user_id" --clear-groups -- env -i "${env_args[@]}" "$@"
}

# The source tree must not be written to, nor the app folder.
before="$(find "$app" -newer "$app/server.js" | wc -l)"
cd "$app"
setsid bash -c 'exec "$@"' _ setpriv --reuid="$user_id" --regid="$user_id" --clear-groups -- env -i "${env_args[@]}" node "$app/cli.mjs" start >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
ok=""
for _ in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  if curl -fsS -m 2 "$base/api/health" -o "$work/health.json" 2>/dev/null; then ok=1; break; fi
  sleep 0.5
done
fail() {
  echo "check:standalone FAILED: $*" >&2
  echo "--- server log ---" >&2
  cat "$work/server.log" >&2
  exit 1
}
[ -n "$ok" ] || fail "/api/health did not answer on $base within 60 s"
echo "/api/health: $(cat "$work/health.json")"
grep -q '"status":"ok"' "$work/health.json" || fail "/api/health is not ok"
curl -fsS -m 5 "$base/api/livez" >/dev/null || fail "/api/livez did not answer 200"
# Readiness: the watcher (here the simulated cluster) syncs within seconds.
ready=""
for _ in $(seq 1 60); do
  if curl -fsS -m 2 "$base/api/readyz" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || fail "/api/readyz did not become ready within 30 s"
# The demo playlist's watches may reconnect now and then: the cluster must be in sync within 15 s.
in_sync=""
for _ in $(seq 1 30); do
  curl -fsS -m 5 "$base/metrics" -o "$work/metrics.txt" || fail "/metrics did not answer"
  if grep -q '^drainscope_watch_in_sync{cluster="simulated"} 1' "$work/metrics.txt"; then in_sync=1; break; fi
  sleep 0.5
done
grep -q '^process_resident_memory_bytes ' "$work/metrics.txt" || fail "/metrics lacks the default process metrics"
[ -n "$in_sync" ] || fail "/metrics does not show the simulated cluster in sync: $(grep '^drainscope_watch_' "$work/metrics.txt")"
curl -fsS -m 5 "$base/" | grep -q '<html' || fail "the dashboard page did not render"
owner="$(stat -c %u /proc/"$pid" 2>/dev/null || echo "?")"
[ "$owner" = "$user_id" ] || fail "the server runs as uid $owner, not $user_id"
as_user node "$app/cli.mjs" --help >/dev/null || fail "the bundled CLI does not run"
grep -q '"service":"drainscope"' "$work/server.log" || fail "the server's log lines are not JSON (pino) although stdout is not a terminal"
after="$(find "$app" -newer "$app/server.js" | wc -l)"
[ "$before" = "$after" ] || fail "files changed in the read-only app folder"
[ -n "$(ls -A "$data")" ] || fail "nothing was written to the data folder"
echo "check:standalone passed: server ran as uid $user_id from a read-only copy, data in the data folder only"
