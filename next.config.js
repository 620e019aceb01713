// Next.js configuration. Plain ESM JavaScript so `next` loads it without a TypeScript step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants.js';

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

/**
 * Content-Security-Policy sent as a static header (no per-request nonce; see docs/adr/0002).
 * App Router pages stream their data in inline `<script>` tags, so without a nonce `script-src`
 * needs 'unsafe-inline'. React's dev build also needs 'unsafe-eval'; production never does.
 * Everything the dashboard loads (scripts, styles, data, SSE) is same-origin; exports draw to
 * canvas and hand out blob:/data: URLs. No `upgrade-insecure-requests`: the dashboard is often
 * served over plain http on a private address, where upgrading sub-resources would break it.
 * @param {boolean} isDev
 */
function contentSecurityPolicy(isDev) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  const isDev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    // A lockfile in a parent folder would otherwise make Turbopack pick that folder as the workspace root.
    turbopack: { root: projectRoot },
    poweredByHeader: false,
    // Node-only packages the server code loads at run time rather than bundles: a native addon
    // (better-sqlite3), and clients that read files and sockets.
    serverExternalPackages: ['better-sqlite3', 'pg', '@kubernetes/client-node', 'node-fetch', '@playwright/test', 'playwright-core'],
    // `npm run lint` runs tsc over the whole tree; a second check inside `next build` only costs time.
    typescript: { ignoreBuildErrors: true },
    async headers() {
      return [
        {
          source: '/:path*',
          headers: [
            { key: 'Content-Security-Policy', value: contentSecurityPolicy(isDev) },
            { key: 'X-Content-Type-Options', value: 'nosniff' },
            { key: 'X-Frame-Options', value: 'DENY' },
            { key: 'Referrer-Policy', value: 'no-referrer' },
            { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
            { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
          ],
        },
      ];
    },
  };
}
