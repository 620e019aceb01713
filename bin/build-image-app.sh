#!/usr/bin/env bash
# Builds exactly what the container image runs into one folder (default dist/image/):
#   server.js + .next-standalone/   Next.js standalone server (DRAINSCOPE_STANDALONE=1, see next.config.js)
#   node_modules/                   only the packages the server's traced files need (no tsx, no next CLI)
#   cli.mjs                         the `drainscope` CLI bundled by esbuild, so tsx is no runtime dependency
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

# The CLI: one ESM file. Packages the server keeps external (native addons, clients with optional
# requires) stay external here too; the standalone trace already put them in node_modules/.
externals=()
for pkg in better-sqlite3 pg pg-native @kubernetes/client-node node-fetch pino prom-client @playwright/test playwright-core; do
  externals+=("--external:$pkg")
done
entry="$(mktemp -d)/drainscope-cli.ts"
printf '%s\n' "import { main } from \"$PWD/server/cli/main\";" 'process.exitCode = await main(process.argv.slice(2));' >"$entry"
node_modules/.bin/esbuild "$entry" --bundle --platform=node --format=esm --target=node20 --tsconfig=tsconfig.json \
    "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" \
    "${externals[@]}" --log-level=warning --outfile="$out/cli.mjs"
rm -rf "$(dirname "$entry")"
echo "image app in $out ($(du -sh "$out" | cut -f1))"
