import { expect, test, type Page } from '@playwright/test';

// Issue 14: the navigation a Perfetto/Grafana user expects: T+0 axis, local zone, lane filters, crosshair.
// fixture-rollout: the episode's first delete (web-5984d6875f-f8f44) is 2026-11-22T05:41:31.000Z; the
// cluster view holds 6 pods (3 old, deleted, each named by one sigterm-before-deregistration window; 3 new).
const EPISODE = '/timeline?cluster=fixture-rollout&namespace=default&episode=rollout%3Adefault%3Aweb%3A1795326091000';
const CLUSTER = '/timeline?cluster=fixture-rollout&namespace=default';
const T0 = Date.parse('2026-11-22T05:41:31.000Z');
const at = (from: string, to: string) => `&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

test.use({ viewport: { width: 1600, height: 1000 } });

const ticks = async (page: Page) => (await page.getByTestId('ruler').getAttribute('data-ticks'))?.split('|') ?? [];
const laneUids = async (page: Page) => ((await page.getByTestId('lanes').getAttribute('data-lane-uids')) ?? '').split(' ').filter(Boolean).sort();

/** Moves down the lanes at canvas x until the tooltip names `pod`; returns its text. */
async function tooltipOf(page: Page, x: number, pod: string): Promise<string> {
  const box = await page.getByTestId('lanes').boundingBox();
  if (!box) throw new Error('no lanes');
  for (let y = 4; y < 200; y += 4) {
    await page.mouse.move(box.x + x, box.y + y);
    const tip = page.getByTestId('tooltip');
    if ((await tip.count()) > 0 && (await tip.innerText()).includes(`pod ${pod}\n`) && (await tip.innerText()).startsWith('phase')) return tip.innerText();
  }
  throw new Error(`no tooltip for ${pod}`);
}

/** Canvas x of time t in the swimlane (the scale's origin is the 230 px gutter). */
async function xOf(page: Page, t: number, from: number, to: number): Promise<number> {
  const width = await page.getByTestId('lanes').evaluate((el) => el.clientWidth);
  return 230 + ((t - from) / (to - from)) * (width - 230);
}

test('T+0 axis: ruler reads offsets from the first delete, tooltips show clock and offset, the URL keeps it', async ({ page }) => {
  const from = '2026-11-22T05:41:30.000Z';
  const to = '2026-11-22T05:41:33.000Z';
  await page.goto(EPISODE + at(from, to));
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await expect.poll(() => ticks(page)).toContain('41:31.000'); // the clock axis first (sub-second steps: mm:ss.mmm)
  await page.getByTestId('axis-t0').click();
  await expect(page.getByTestId('axis-t0')).toHaveAttribute('aria-pressed', 'true');
  // 3 s over ~1,000 px: 500 ms steps from T+0 (labels exact, by the axis's own arithmetic); the tick on the
  // right edge (T+2 s) has no room for its label.
  await expect.poll(() => ticks(page)).toEqual(['T−1 s', 'T−500 ms', 'T+0', 'T+500 ms', 'T+1 s', 'T+1.5 s']);
  await expect(page).toHaveURL(/axis=t0/);
  // The risk list gives the offset too: the windows start at T+0, T+2 s and T+4 s.
  await expect(page.getByTestId('risk-item').nth(1)).toContainText('05:41:33.000 (T+2.00 s)');
  // f8f44 served until its delete: the phase ends at T+0, in both forms.
  const tip = await tooltipOf(page, await xOf(page, T0 - 500, Date.parse(from), Date.parse(to)), 'web-5984d6875f-f8f44');
  expect(tip).toContain('2026-11-22 05:41:19.000Z · T−12.0 s → 05:41:31.000Z · T+0');

  await page.reload();
  await expect(page.getByTestId('axis-t0')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => ticks(page)).toContain('T+1.5 s');
  // Back to the clock.
  await page.getByTestId('axis-clock').click();
  await expect.poll(() => ticks(page)).toContain('41:31.500');
  await expect(page).not.toHaveURL(/axis=/);
});

test('T+0 outside an episode is the selected pod\'s delete, and unavailable without one', async ({ page }) => {
  await page.goto(CLUSTER + at('2026-11-22T05:41:30.000Z', '2026-11-22T05:41:36.000Z'));
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await expect(page.getByTestId('axis-t0')).toBeDisabled();
  await page.keyboard.press('ArrowDown'); // the first pod, f8f44, deleted at 05:41:31
  await expect(page.getByTestId('pod-drawer')).toContainText('web-5984d6875f-f8f44');
  await expect(page.getByTestId('axis-t0')).toBeEnabled();
  await page.getByTestId('axis-t0').click();
  // 6 s over ~1,000 px: 1 s steps from the delete.
  await expect.poll(() => ticks(page)).toEqual(['T−1 s', 'T+0', 'T+1 s', 'T+2 s', 'T+3 s', 'T+4 s']);
});

test.describe('in Asia/Shanghai', () => {
  test.use({ timezoneId: 'Asia/Shanghai' });

  test('the local zone reaches the ruler, readout, risk list and drawer; UTC stays the default', async ({ page }) => {
    await page.goto(EPISODE + at('2026-11-22T05:41:00.000Z', '2026-11-22T05:43:00.000Z'));
    await expect(page.getByTestId('risk-item')).toHaveCount(3);
    await expect.poll(() => ticks(page)).toContain('05:42:00'); // UTC by default, whatever the browser's zone
    await page.getByTestId('tz').selectOption('local');
    await expect(page).toHaveURL(/tz=local/);
    await expect.poll(() => ticks(page)).toContain('13:42:00');
    expect(await ticks(page)).not.toContain('05:42:00');
    await expect(page.getByTestId('range-readout')).toHaveText('2026-11-22 13:41:00.000 → 13:43:00.000 UTC+08:00 (2 m 00 s)');
    await expect(page.getByTestId('risk-item').first()).toContainText('13:41:31.000 +08:00');
    await page.keyboard.press('ArrowDown'); // f8f44: deleted at 05:41:31Z
    await expect(page.getByTestId('pod-drawer')).toContainText('web-5984d6875f-f8f44');
    await expect(page.getByTestId('pod-drawer')).toContainText('2026-11-22 13:41:31.000+08:00');
    await page.reload();
    await expect.poll(() => ticks(page)).toContain('13:42:00');
  });
});

test('lane filters: only risk shows exactly the pods the risk list names; search and node narrow by name', async ({ page, request }) => {
  await page.goto(CLUSTER + at('2026-11-22T05:41:00.000Z', '2026-11-22T05:42:00.000Z'));
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '6');
  const named = (await page.getByTestId('risk-item').evaluateAll((els) => els.flatMap((e) => (e.getAttribute('data-pods') ?? '').split(' ')))).filter(Boolean).sort();
  expect(named).toHaveLength(3);

  await page.getByTestId('risk-only').check();
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '3');
  expect(await laneUids(page)).toEqual(named);
  await expect(page.getByTestId('lane-count')).toHaveText('showing 3 of 6 pods · 137 events');
  await expect(page).toHaveURL(/risky=1/);
  // Exports are the lanes on screen, filters included: the menu and the SVG hold exactly the 3 risky pods.
  await expect(page.getByTestId('export-menu')).toHaveAttribute('data-lanes', /^[^,]+,[^,]+,[^,]+$/);
  expect(((await page.getByTestId('export-menu').getAttribute('data-lanes')) ?? '').split(',').sort()).toEqual(named);
  await expect(page.getByTestId('export-scope')).toContainText('3 pods');
  const svg = await (await request.get((await page.getByTestId('export-svg').getAttribute('href')) ?? '')).text();
  expect([...svg.matchAll(/<g data-pod-uid="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(named);
  await page.getByTestId('risk-only').uncheck();

  // The new revision's pods, by a case-insensitive part of the name.
  await page.getByTestId('lane-search').fill('B8D86886D');
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '3');
  expect(await laneUids(page)).not.toEqual(named);
  await page.getByTestId('lane-search').fill('xzkjd');
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '1');
  await expect(page).toHaveURL(/q=xzkjd/);
  await page.getByTestId('lane-search').fill('no-such-pod');
  await expect(page.getByTestId('no-lane-match')).toBeVisible();
  await page.getByTestId('lane-search').fill('');
  await page.getByTestId('node-filter').selectOption('k8sreal-node-1');
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '6');
  await expect(page).toHaveURL(/node=k8sreal-node-1/);
});

test('hide idle lanes: lanes with no change in the visible range go, counted', async ({ page }) => {
  // 05:41:36–05:41:39: f8f44 is removed at 05:41:36 and 2957c at 05:41:38; hg9n2's only change is the end of
  // its risk window at 05:41:37; the three new pods serve on unchanged.
  await page.goto(CLUSTER + at('2026-11-22T05:41:36.000Z', '2026-11-22T05:41:39.000Z') + '&idle=hide');
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '3');
  await expect(page.getByTestId('idle-hidden')).toHaveText(' · 3 idle lanes hidden');
  const old = (await page.getByTestId('risk-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-pods') ?? ''))).sort();
  expect(await laneUids(page)).toEqual(old);
  await page.getByTestId('hide-idle').uncheck();
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', '6');
  await expect(page.getByTestId('idle-hidden')).toHaveCount(0);
});

test('crosshair: hovering the swimlane draws the time in the chart, hovering the chart in the swimlane', async ({ page }) => {
  const from = Date.parse('2026-11-22T05:41:20.000Z');
  const to = Date.parse('2026-11-22T05:41:50.000Z');
  await page.goto(EPISODE + at(new Date(from).toISOString(), new Date(to).toISOString()));
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  const lanes = page.getByTestId('lanes');
  const box = await lanes.boundingBox();
  if (!box) throw new Error('no lanes');
  const target = Date.parse('2026-11-22T05:41:35.000Z');
  const x = await xOf(page, target, from, to);
  await page.mouse.move(box.x + x, box.y + 300);
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-crosshair', /^\d+$/);
  const t = Number(await page.getByTestId('lanes-canvas').getAttribute('data-crosshair'));
  expect(Math.abs(t - target)).toBeLessThan(40); // within a pixel at 30 s over ~1,000 px
  const chart = page.getByTestId('service-chart');
  await expect(chart).toHaveAttribute('data-crosshair', String(t));
  const line = chart.getByTestId('chart-crosshair');
  await expect(line).toBeVisible();
  const lineBox = await line.boundingBox();
  expect(Math.abs((lineBox?.x ?? 0) - (box.x + x))).toBeLessThanOrEqual(1); // the same x in both

  // From the chart back to the swimlane.
  const cbox = await chart.boundingBox();
  if (!cbox) throw new Error('no chart');
  const x2 = await xOf(page, T0, from, to);
  await page.mouse.move(cbox.x + x2, cbox.y + cbox.height / 2);
  await expect.poll(async () => Math.abs(Number(await chart.getAttribute('data-crosshair')) - T0)).toBeLessThan(40);
  const t2 = Number(await chart.getAttribute('data-crosshair'));
  expect(Math.abs(t2 - T0)).toBeLessThan(40);
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-crosshair', String(t2));
  await page.mouse.move(cbox.x + 5, cbox.y + 5); // over the chart's label: no time
  await expect(page.getByTestId('lanes-canvas')).not.toHaveAttribute('data-crosshair', /./);
  await expect(line).toBeHidden();
});
