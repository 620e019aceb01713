#!/usr/bin/env node
// The `drainscope` command. The CLI is TypeScript; tsx compiles it on the fly, so there is no separate
// build step between `npm install` and `npx drainscope …`.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
