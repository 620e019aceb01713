/**
 * Flags for the headless Chromium (Debian's, not a downloaded one) that the server's tools launch: no
 * GPU, no background traffic, no sandbox (containers), and a resolver that keeps it off the network.
 * playwright.config.ts launches it the same way (a config file, so it spells the flags out).
 */
const QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Nothing resolves: for a page set from a string (the PNG export). */
export const CHROMIUM_OFFLINE_ARGS: readonly string[] = [...QUIET, "--host-resolver-rules=MAP * ~NOTFOUND"];

/** Only loopback resolves, at device scale 1: for pages of a local `next start` (screenshots, benchmarks). */
export const CHROMIUM_LOOPBACK_ARGS: readonly string[] = [...QUIET, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost", "--force-device-scale-factor=1"];
