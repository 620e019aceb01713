import { expect, test } from '@playwright/test';

// Runs in the `scenarios` project (its file name matches playwright.config.ts' SCENARIOS_SPEC): every simulator
// scenario recorded from 2026-11-22T06:00:00Z. Issue 14's review of the screenshots: every mark is in the legend,
// counts are grammatical, the risk list counts the pods the view shows (or says which it does not), and the
// service chart is whole in a 1600×1000 window.

test.use({ viewport: { width: 1600, height: 1000 } });

async function episodeUrl(request: import('@playwright/test').APIRequestContext, scenario: string): Promise<string> {
  const res = await request.get(`/api/episodes?cluster=scenario-${scenario}&limit=50`);
  const { episodes } = (await res.json()) as { episodes: { id: string; cluster: string; namespace: string }[] };
  const ep = episodes.find((e) => e.cluster === `scenario-${scenario}`);
  if (!ep) throw new Error(`no episode for scenario-${scenario}`);
  return `/timeline?${new URLSearchParams({ cluster: ep.cluster, namespace: ep.namespace, episode: ep.id }).toString()}`;
}

test('keepalive-503 episode: legend names every mark, counts read "1 pod", the risk list counts the pods the view shows', async ({ page, request }) => {
  await page.goto(await episodeUrl(request, 'keepalive-503'));
  await expect(page.getByTestId('lane-count')).toHaveText(/^1 pod · [\d,]+ events · 1 replacement pod$/);
  const legend = page.getByRole('list', { name: 'Legend' });
  // A recorded cluster, not watched: the dashed line is where the data ends.
  for (const label of ['pending', 'running, not ready', 'terminating', 'data ends', 'still open', 'time uncertainty', 'SIGTERM estimated within', 'N markers (hover to expand)', 'critical', 'high', 'medium']) {
    await expect(legend.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(legend.getByText('now', { exact: true })).toHaveCount(0);
  // The service-wide windows name the deleted pod and its not-yet-ready replacement: the episode shows both
  // (the replacement in its revision's summary lane), so "2 pods" needs no note; a pod without a lane would
  // be named "(… not in this view)" (lib/view/window-text.test.ts).
  for (const rule of ['no-ready-endpoints', 'fallback-to-terminating']) {
    const item = page.locator(`[data-testid="risk-item"][data-rule="${rule}"]`);
    expect(((await item.getAttribute('data-pods')) ?? '').split(' ')).toHaveLength(2);
    await expect(item.getByTestId('risk-pods')).toHaveText(' · 2 pods');
  }
  await expect(page.locator('[data-testid="risk-item"][data-rule="drain-outlives-pod"]').getByTestId('risk-pods')).toHaveText(/^ · app-[a-z0-9]+-[a-z0-9]+$/);
});

test('node-drain-local-policy: the service chart is whole in 1600×1000 and keeps the service name', async ({ page, request }) => {
  await page.goto(await episodeUrl(request, 'node-drain-local-policy'));
  const chart = page.getByTestId('service-chart').first();
  await expect(chart).toBeVisible();
  const box = await chart.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(1000);
  // Every y-axis label (0 at the bottom included) inside the chart's box.
  for (const t of await chart.locator('.recharts-cartesian-axis-tick-value').all()) {
    const b = await t.boundingBox();
    expect((b?.y ?? 0) + (b?.height ?? 0)).toBeLessThanOrEqual((box?.y ?? 0) + (box?.height ?? 0));
    expect(b?.y ?? 0).toBeGreaterThanOrEqual(box?.y ?? 0);
  }
  const title = chart.getByTestId('chart-title');
  await expect(title).toHaveAttribute('title', 'service node-drain-local-policy/web');
  await expect(title.locator('span').first()).toHaveText('svc web');
});
