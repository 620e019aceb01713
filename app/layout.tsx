import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Drainscope', template: '%s · Drainscope' },
  description:
    'Pod termination timelines: see every window in which traffic could reach a dead or draining pod.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#0f1217' },
  ],
};

// System font stack only (set in globals.css): Google-hosted fonts would download at build time and break offline builds.
export default async function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  // Every page renders per request, so Next can stamp proxy.ts's per-request CSP nonce on its scripts
  // (a prerendered page would carry no nonce, and its scripts would be blocked). See docs/adr/0002.
  await connection();
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col bg-canvas font-sans text-fg antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
