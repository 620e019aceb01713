#!/usr/bin/env bash
# Builds exactly what the container image runs into one folder (default dist/image/):
#   server.js + .next-standalone/   Next.js standalone server (DRAINSCOPE_STANDALONE=1, see next.config.js)
#   node_modules/                   only the packages the server's traced files need (no tsx, no next CLI)
#   cli.mjs + cli-*.mjs             the `drainscope` CLI bundled by esbuild (bin/bundle-cli.sh), so tsx is no
#                                   runtime dependency; each command is a chunk loaded on demand
# The Dockerfile copies this folder to /app; bin/check-standalone.sh copies it to a clean directory and
# starts it as a non-root user. One recipe for both, so the image cannot drift from what CI checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-dist/image}"
export NEXT_TELEMETRY_DISABLED=1

[ "${SKIP_NEXT_BUILD:-}" = 1 ] || DRAINSCOPE_STANDALONE=1 node node_modules/next/dist/bin/next build

rm -rf "$out"
mkdir -p "$out"
cp -a .next-standalone/standalone/. "$out/"
# The standalone server does not copy the browser assets; it serves them from its own dist folder.
cp -a .next-standalone/static "$out/.next-standalone/static"
if [ -d public ]; then cp -a public "$out/public"; fi
# Next writes its cache under the dist folder. The image's root filesystem is read-only, so the cache
# lives in /tmp (an emptyDir in Kubernetes) behind a symlink.
rm -rf "$out/.next-standalone/cache"
ln -s /tmp/drainscope-next-cache "$out/.next-standalone/cache"

# The CLI: cli.mjs and its on-demand chunks (cli-*.mjs), bundled by esbuild (bin/bundle-cli.sh says
# which packages stay external and why).
bash bin/bundle-cli.sh "$out"
echo "image app in $out ($(du -sh "$out" | cut -f1))"
