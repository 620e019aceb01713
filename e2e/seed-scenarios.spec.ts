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
    await expect(page.getByText(/[1-9][\d,]* pods? · [\d,]+ events?/)).toBeVisible();
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

// Issue 14, "wrong information": the drawer, the list and the charts are one engine result.

interface ApiWindow {
  readonly rule: string;
  readonly podUids: readonly string[];
  readonly durationMs: number | null;
  readonly namespace: string;
  readonly service: string | null;
}

for (const name of ['gateway-sync-lag', 'node-drain-local-policy']) {
  test(`scenario ${name}: the pod drawer's dead-but-routed duration is the list's`, async ({ page, request }) => {
    const c = CASES.find((x) => x.name === name);
    if (!c) throw new Error(`no case ${name}`);
    const url = timelineUrl(c);
    const api = await request.get(`/api${url}`);
    expect(api.ok()).toBe(true);
    const doc = (await api.json()) as { riskWindows: ApiWindow[] };
    const dbr = doc.riskWindows.filter((w) => w.rule === 'dead-but-routed');
    expect(dbr.length).toBe(c.counts['dead-but-routed']);
    for (const w of dbr) expect(w.durationMs).toBeGreaterThan(0); // the engine closed every one of them
    const uid = dbr[0]?.podUids[0];
    if (!uid) throw new Error('no pod');
    // The pod API (the drawer's fallback when the page does not draw the pod) measures the same window.
    const pod = await request.get(`/api/pods/${encodeURIComponent(uid)}?cluster=scenario-${name}`);
    expect(pod.ok()).toBe(true);
    const fromPod = ((await pod.json()) as { riskWindows: { rule: string; start: number; end?: number }[] }).riskWindows.filter((w) => w.rule === 'dead-but-routed');
    expect(fromPod).toHaveLength(1);
    expect((fromPod[0]?.end ?? NaN) - (fromPod[0]?.start ?? NaN)).toBe(dbr[0]?.durationMs);

    // The list's text for this pod's window.
    await page.goto(url);
    const listed = page.getByTestId('risk-item');
    await expect(listed).toHaveCount(Object.values(c.counts).reduce((a, b) => a + b, 0));
    const inList = await listed.evaluateAll(
      (els, pod) => els.filter((el) => el.getAttribute('data-rule') === 'dead-but-routed' && (el.getAttribute('data-pods') ?? '').split(' ').includes(pod)).map((el) => el.querySelector('[data-testid="risk-duration"]')?.textContent ?? ''),
      uid,
    );
    expect(inList).toHaveLength(1);
    expect(inList[0]).not.toMatch(/open/);

    // The drawer of that pod (as a permalink opens it) says the same.
    await page.goto(`${url}&pod=${encodeURIComponent(uid)}`);
    const drawer = page.getByTestId('pod-drawer');
    await expect(drawer).toBeVisible();
    const row = drawer.locator('[data-testid="pod-risk"][data-rule="dead-but-routed"]');
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('pod-risk-duration')).toHaveText(inList[0] ?? '');
  });
}

test('charts: no-ready bands belong to their namespace\'s service, and no service is left out', async ({ page, request }) => {
  // Every scenario cluster at once: clean-rollout/web and scale-to-zero/web are two Services named `web`.
  const q = new URLSearchParams({ from: new Date(START - 2_000).toISOString(), to: new Date(START + 30_000).toISOString() });
  const api = await request.get(`/api/timeline?${q.toString()}`);
  expect(api.ok()).toBe(true);
  const doc = (await api.json()) as { serviceCounts: { namespace: string; service: string; points: { ready: number; servingTerminating: number }[] }[]; riskWindows: ApiWindow[] };
  const noReady = doc.riskWindows.filter((w) => w.rule === 'no-ready-endpoints');
  expect(noReady.some((w) => w.namespace === 'scale-to-zero' && w.service === 'web')).toBe(true);
  expect(noReady.some((w) => w.namespace === 'clean-rollout')).toBe(false);
  expect(doc.serviceCounts.length).toBeGreaterThan(3);

  await page.goto(`/timeline?${q.toString()}`);
  const charts = page.getByTestId('service-chart');
  await expect(charts).toHaveCount(doc.serviceCounts.length);
  await expect(page.getByTestId('chart-count')).toContainText(`${doc.serviceCounts.length} services`);
  const bandsOf = async (ns: string) => JSON.parse((await page.locator(`[data-testid="service-chart"][data-namespace="${ns}"][data-service="web"]`).getAttribute('data-no-ready')) ?? 'null') as unknown[];
  expect(await bandsOf('clean-rollout')).toEqual([]);
  expect(await bandsOf('scale-to-zero')).toHaveLength(noReady.filter((w) => w.namespace === 'scale-to-zero' && w.service === 'web').length);
  // Counts on a y-axis: recharts draws the tick values as text.
  // Counts on a y-axis (the x-axis is the swimlane's, hidden here): 0, the middle and the max.
  const ticks = page.locator('[data-testid="service-chart"][data-namespace="scale-to-zero"][data-service="web"] .recharts-cartesian-axis-tick-value');
  const svc = doc.serviceCounts.find((x) => x.namespace === 'scale-to-zero' && x.service === 'web');
  const top = Math.max(1, ...(svc?.points ?? []).map((p) => p.ready + p.servingTerminating));
  expect(top).toBeGreaterThan(2);
  await expect(ticks).toHaveText(['0', String(Math.round(top / 2)), String(top)]);
});

test('an unknown episode is an error, never "no risk window"', async ({ page }) => {
  await page.goto(`/timeline?cluster=scenario-clean-rollout&namespace=clean-rollout&episode=${encodeURIComponent('rollout:clean-rollout:web:1795327048001')}`);
  await expect(page.getByTestId('timeline-error')).toContainText('no episode');
  await expect(page.getByTestId('risks-unavailable')).toContainText('No verdict');
  await expect(page.getByTestId('no-risks')).toHaveCount(0);
  await expect(page.getByTestId('view-verdict')).toHaveCount(0);
});

test('an unknown cluster says it holds no data, never "no risk window"', async ({ page }) => {
  await page.goto('/timeline?cluster=no-such-cluster');
  const msg = page.getByTestId('no-data');
  await expect(msg).toContainText('cluster no-such-cluster holds no data');
  await expect(msg).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('risks-unavailable')).toContainText('No verdict');
  await expect(page.getByTestId('no-risks')).toHaveCount(0);
});
