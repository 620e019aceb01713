#!/usr/bin/env node
// Run a TypeScript entry point (benchmarks, scripts) with the project's tsconfig: `node bin/run-ts.js FILE.ts …`.
import { register } from "tsx/esm/api";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolve } from "node:path";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bin/run-ts.js FILE.ts [ARGS…]");
  process.exit(2);
}
process.argv = [process.argv[0] ?? "node", file, ...rest];
await import(pathToFileURL(resolve(file)).href);
