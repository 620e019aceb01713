#!/usr/bin/env bash
# Bundles the `drainscope` CLI with esbuild into OUT_DIR (default dist/cli): OUT_DIR/cli.mjs, the entry,
# and OUT_DIR/cli-*.mjs (chunks), loaded on demand. bin/build-image-app.sh runs this for the image, and
# server/bench/watcher-real.ts for the watcher-memory bench, so both measure and ship the same bundle.
#
# Code splitting: each command is its own chunk, so `drainscope start` (which stays running next to the
# Next server in the image) does not load the watcher, the store or client-node, and `drainscope watch`
# does not load the dashboard's commands. Chunks sit next to cli.mjs, so `import.meta.url` means the
# same folder in every chunk.
#
# Externals: native addons and packages with optional requires stay in node_modules (the standalone
# trace copies them there). @kubernetes/client-node is bundled: as an external it is imported whole at
# start (about 70 MB RSS, most of it its generated API models), bundled esbuild keeps only what
# KubeConfig and its authenticators use (about 25 MB).
#
# Whitespace and syntax minified, ASCII only: V8 keeps every loaded chunk's source text on the heap, and
# a chunk with a single non-ASCII character (client-node's and zod's comments had some) is held as a
# two-byte string. Unminified, the chunks `drainscope watch` loads were 4.7 MB of heap; now about 1.6 MB.
# Identifiers are not renamed, so stack traces keep their function names.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-dist/cli}"
mkdir -p "$out"
externals=()
for pkg in better-sqlite3 pg pg-native node-fetch pino prom-client @playwright/test playwright-core; do
  externals+=("--external:$pkg")
done
tmp="$(mktemp -d)"
entry="$tmp/cli.ts"
printf '%s\n' "import { main } from \"$PWD/server/cli/main\";" 'process.exitCode = await main(process.argv.slice(2));' >"$entry"
rm -f "$out"/cli.mjs "$out"/cli-*.mjs
node_modules/.bin/esbuild "$entry" --bundle --splitting --platform=node --format=esm --target=node20 --tsconfig=tsconfig.json \
    --minify-whitespace --minify-syntax --charset=ascii \
    "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" \
    "${externals[@]}" --out-extension:.js=.mjs --chunk-names='cli-[name]-[hash]' --log-level=warning --outdir="$out"
rm -rf "$tmp"
