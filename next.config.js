// Next.js configuration. Plain ESM JavaScript so `next` loads it without a TypeScript step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

/**
 * Pages get their Content-Security-Policy from proxy.ts, with a per-request script nonce (docs/adr/0002).
 * API answers are data, never documents to run: `default-src 'none'`. /api/export sets its own, stricter
 * policy (`sandbox`) for the files it hands out, so it is left out here: a header from this list would
 * replace the route's.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * `DRAINSCOPE_STANDALONE=1` at build time (bin/build-image-app.sh, the Dockerfile) builds the slim
 * standalone server into its own folder, `.next-standalone/`. Without it the build is the ordinary one
 * that `next start` serves (`npm start`, the e2e suite): the two outputs do not mix, and keeping them in
 * separate folders means checking the image's build never breaks the developer's `.next`.
 */
const standalone = process.env.DRAINSCOPE_STANDALONE === '1';

/** @type {() => import('next').NextConfig} */
export default function nextConfig() {
  return {
    ...(standalone ? { output: 'standalone', distDir: '.next-standalone', outputFileTracingRoot: projectRoot } : {}),
    // A lockfile in a parent folder would otherwise make Turbopack pick that folder as the workspace root.
    turbopack: { root: projectRoot },
    poweredByHeader: false,
    // Node-only packages the server code loads at run time rather than bundles: a native addon
    // (better-sqlite3), and clients that read files and sockets.
    serverExternalPackages: ['better-sqlite3', 'pg', '@kubernetes/client-node', 'node-fetch', 'pino', 'prom-client', '@playwright/test', 'playwright-core'],
    // `npm run lint` runs tsc over the whole tree; a second check inside `next build` only costs time.
    typescript: { ignoreBuildErrors: true },
    async headers() {
      return [
        {
          source: '/:path*',
          headers: [
            { key: 'X-Content-Type-Options', value: 'nosniff' },
            { key: 'X-Frame-Options', value: 'DENY' },
            { key: 'Referrer-Policy', value: 'no-referrer' },
            { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
            { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
          ],
        },
        { source: '/api/:path((?!export$).*)', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
        { source: '/metrics', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
      ];
    },
  };
}
