import path from 'node:path';
import { expect, test } from '@playwright/test';

// Runs in the `scenarios` project (playwright.config.ts) against its own server, whose store holds every
// simulator scenario but large-rollout as cluster `scenario-<name>`, recorded from 2026-11-22T06:00:00Z
// (server/dev/seed.ts --only scenarios). Expected windows: each scenario module's `expectedCounts`, as in the
// table of server/sim/README.md.

interface Case {
  readonly name: string;
  /** The incident write-up in shared/seeds/ the scenario reproduces. */
  readonly seed?: string;
  /** Exact number of windows per rule; no other rule may appear. */
  readonly counts: Readonly<Record<string, number>>;
  /** The view's end, in seconds after 06:00:00 (a few seconds past the end of the recording). */
  readonly until: number;
}

const CASES: readonly Case[] = [
  { name: 'clean-rollout', counts: {}, until: 30 },
  { name: 'no-prestop-rollout', counts: { 'sigterm-before-deregistration': 3 }, until: 25 },
  { name: 'gateway-sync-lag', seed: '000', counts: { 'sigterm-before-deregistration': 3, 'dead-but-routed': 3 }, until: 30 },
  { name: 'keepalive-503', seed: '001', counts: { 'fallback-to-terminating': 1, 'no-ready-endpoints': 1, 'drain-outlives-pod': 1 }, until: 100 },
  { name: 'scale-to-zero', seed: '002', counts: { 'fallback-to-terminating': 1, 'no-ready-endpoints': 1 }, until: 25 },
  { name: 'node-drain-local-policy', seed: '002', counts: { 'sigterm-before-deregistration': 2, 'dead-but-routed': 2 }, until: 70 },
  { name: 'lb-late-removal', seed: '003', counts: { 'sigterm-before-deregistration': 3, 'dead-but-routed': 3 }, until: 40 },
  { name: 'long-connection-sigkill', seed: '003', counts: { 'killed-at-grace-deadline': 3 }, until: 60 },
  { name: 'ipvs-weight-zero', seed: '004', counts: { 'drain-outlives-pod': 3 }, until: 130 },
  { name: 'force-delete', counts: { 'ghost-container': 1, 'sigterm-before-deregistration': 1 }, until: 45 },
  { name: 'probe-restart', counts: { 'restart-blackhole': 1 }, until: 30 },
  { name: 'eviction-with-pdb', counts: { 'sigterm-before-deregistration': 2 }, until: 20 },
];

const START = Date.parse('2026-11-22T06:00:00Z');

/** The timeline a user reaches by picking the cluster and namespace and a range covering the whole recording. */
function timelineUrl(c: Case): string {
  const q = new URLSearchParams({
    cluster: `scenario-${c.name}`,
    namespace: c.name,
    from: new Date(START - 2_000).toISOString(),
    to: new Date(START + c.until * 1000).toISOString(),
  });
  return `/timeline?${q.toString()}`;
}

test.use({ viewport: { width: 1280, height: 800 } });

for (const c of CASES) {
  const total = Object.values(c.counts).reduce((a, b) => a + b, 0);
  const what = total === 0 ? 'no risk window' : Object.entries(c.counts).map(([rule, n]) => `${rule} ×${n}`).join(', ');
  test(`scenario ${c.name}${c.seed ? ` (seed ${c.seed})` : ''}: ${what}`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(timelineUrl(c));

    const items = page.getByTestId('risk-item');
    const canvas = page.getByTestId('lanes-canvas');
    if (total === 0) {
      await expect(page.getByTestId('no-risks')).toBeVisible();
      await expect(items).toHaveCount(0);
      await expect(canvas).toHaveAttribute('data-bands', '0');
    } else {
      await expect(items).toHaveCount(total);
      const got: Record<string, number> = {};
      for (const rule of await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-rule') ?? ''))) got[rule] = (got[rule] ?? 0) + 1;
      expect(got).toEqual(c.counts);
      // Every window overlaps the visible range, so the renderer draws a band for each.
      await expect(canvas).toHaveAttribute('data-bands', String(total));
      await expect(page.getByRole('heading', { name: /Risk windows/ })).toContainText(String(total));
    }
    // The scenario's pods are laid out, over the range of the URL.
    await expect(page.getByText(/[1-9]\d* pods · [\d,]+ events/)).toBeVisible();
    const readout = page.getByTestId('range-readout');
    await expect(readout).toHaveAttribute('data-from', String(START - 2_000));
    await expect(readout).toHaveAttribute('data-to', String(START + c.until * 1000));
    if (c.seed) {
      await page.mouse.move(700, 300);
      await page.screenshot({ path: path.join(test.info().project.outputDir, `scenario-${c.seed}-${c.name}.png`) });
    }
    expect(errors).toEqual([]);
  });
}
