import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const ROLLOUT = '/timeline?cluster=fixture-rollout&namespace=default&episode=rollout%3Adefault%3Aweb%3A1795326091000';
const CLEAN = '/timeline?cluster=fixture-clean&namespace=clean-rollout&episode=rollout%3Aclean-rollout%3Aweb%3A1795327048000';
const LARGE = '/timeline?cluster=large-rollout&namespace=shop&episode=rollout%3Ashop%3Aweb%3A1767614400000';

async function range(page: Page): Promise<{ from: number; to: number }> {
  const el = page.getByTestId('range-readout');
  return { from: Number(await el.getAttribute('data-from')), to: Number(await el.getAttribute('data-to')) };
}

/** Waits until the readout shows a range different from `before` (the readout is throttled). */
async function rangeChange(page: Page, before: { from: number; to: number }) {
  await expect.poll(async () => JSON.stringify(await range(page))).not.toBe(JSON.stringify(before));
  return range(page);
}

test.use({ viewport: { width: 1280, height: 800 } });

const shot = (name: string) => path.join(test.info().project.outputDir, name);

test('fixture-rollout: the three sigterm-before-deregistration windows, in the list and as bands', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByTestId('episode').filter({ hasText: 'fixture-rollout' }).getByRole('link', { name: 'rollout · default/web' }).click();
  await expect(page).toHaveURL(/\/timeline\?.*episode=rollout%3Adefault%3Aweb/);

  const items = page.getByTestId('risk-item');
  await expect(items).toHaveCount(3);
  for (const item of await items.all()) {
    await expect(item).toHaveAttribute('data-rule', 'sigterm-before-deregistration');
    await expect(item).toContainText('2.00 s');
    await expect(item).toContainText('Fix:');
  }
  // Drawn as bands on the canvas (the renderer reports the bands in its last frame).
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-bands', '3');
  await expect(page.getByTestId('service-chart')).toHaveCount(1);

  // Clicking a window zooms to it.
  const before = await range(page);
  await items.nth(1).click();
  const after = await rangeChange(page, before);
  expect(after.to - after.from).toBeLessThan(before.to - before.from);
  expect(after.from).toBeLessThanOrEqual(Date.parse('2026-11-22T05:41:33Z'));
  expect(after.to).toBeGreaterThanOrEqual(Date.parse('2026-11-22T05:41:35Z'));
  await page.mouse.move(700, 300);
  await page.screenshot({ path: shot('timeline-risk-windows.png') });
  expect(errors).toEqual([]);
});

test('fixture-clean: no risk window', async ({ page }) => {
  await page.goto(CLEAN);
  await expect(page.getByTestId('no-risks')).toBeVisible();
  await expect(page.getByTestId('risk-item')).toHaveCount(0);
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-bands', '0');
});

test('W/S zoom and A/D pan change the visible range', async ({ page }) => {
  await page.goto(ROLLOUT);
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  let r = await range(page);
  const span = (x: { from: number; to: number }) => x.to - x.from;

  await page.keyboard.press('w');
  let next = await rangeChange(page, r);
  expect(span(next)).toBeCloseTo(span(r) * 0.8, -2);
  expect((next.from + next.to) / 2).toBeCloseTo((r.from + r.to) / 2, -2);

  r = next;
  await page.keyboard.press('s');
  next = await rangeChange(page, r);
  expect(span(next)).toBeCloseTo(span(r) * 1.25, -2);

  r = next;
  await page.keyboard.press('d');
  next = await rangeChange(page, r);
  expect(next.from - r.from).toBeCloseTo(span(r) * 0.2, -2);
  expect(span(next)).toBe(span(r));

  r = next;
  await page.keyboard.press('a');
  next = await rangeChange(page, r);
  expect(r.from - next.from).toBeCloseTo(span(r) * 0.2, -2);
});

test('brushing the ruler shows the duration of the range', async ({ page }) => {
  await page.goto(`${ROLLOUT}&from=2026-11-22T05%3A41%3A20.000Z&to=2026-11-22T05%3A41%3A50.000Z`);
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  const ruler = page.getByTestId('ruler');
  const box = await ruler.boundingBox();
  if (!box) throw new Error('no ruler');
  const lanes = await page.getByTestId('lanes').evaluate((el) => el.clientWidth);
  const plotW = lanes - 230; // GUTTER_PX
  // Brush a third of the 30 s window: about 10 s.
  const x0 = box.x + 230 + plotW / 3;
  const x1 = x0 + plotW / 3;
  await page.mouse.move(x0, box.y + 10);
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, box.y + 10, { steps: 4 });
  await page.mouse.move(x1, box.y + 10, { steps: 4 });
  await page.mouse.up();
  const duration = page.getByTestId('brush-duration');
  await expect(duration).toBeVisible();
  const seconds = Number((await duration.textContent())?.replace(' s', ''));
  expect(seconds).toBeGreaterThan(9.5);
  expect(seconds).toBeLessThan(10.5);
  await expect(page).toHaveURL(/brush=/);
});

test('reloading a copied URL restores range, selection and brush', async ({ page }) => {
  await page.goto(ROLLOUT);
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await page.getByTestId('risk-item').nth(2).click();
  const r0 = await range(page);
  await page.keyboard.press('w');
  await rangeChange(page, r0);
  await page.keyboard.press('ArrowDown'); // select the first pod: its drawer opens
  await expect(page.getByTestId('pod-drawer')).toBeVisible();
  const r = await range(page);
  await expect(page).toHaveURL(/pod=/);
  await expect.poll(() => page.url()).toContain(`from=${encodeURIComponent(new Date(r.from).toISOString())}`);
  const copied = page.url();

  const fresh = await page.context().newPage();
  await fresh.goto(copied);
  await expect(fresh.getByTestId('pod-drawer')).toBeVisible();
  await expect(fresh.getByTestId('pod-drawer')).toContainText('web-5984d6875f-');
  expect(await range(fresh)).toEqual(r);
  await fresh.keyboard.press('Escape');
  await expect(fresh.getByTestId('risk-item').nth(2)).toHaveAttribute('aria-pressed', 'true');
  await fresh.close();
});

test('large-rollout: 1,000-pod store, the 500-pod episode renders on canvas', async ({ page }) => {
  await page.goto(LARGE);
  await expect(page.getByText(/500 pods · [\d,]+ events/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('lanes-canvas')).toHaveAttribute('data-bands', /\d+/);
  // Hundreds of alike windows (one rule, cause and fix) are one list entry that says how many, not hundreds.
  const res = await page.request.get(`/api/timeline?cluster=large-rollout&namespace=shop&episode=${encodeURIComponent('rollout:shop:web:1767614400000')}`);
  const windows = ((await res.json()) as { riskWindows: { rule: string }[] }).riskWindows;
  const byRule = new Map<string, number>();
  for (const w of windows) byRule.set(w.rule, (byRule.get(w.rule) ?? 0) + 1);
  const [rule, alike] = [...byRule.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  expect(alike).toBeGreaterThanOrEqual(10);
  const group = page.locator(`[data-testid="risk-group"][data-rule="${rule}"]`);
  await expect(group).toHaveCount(1);
  await expect(group).toHaveAttribute('data-count', String(alike));
  await expect(group.getByTestId('risk-group-summary')).toContainText(`${alike.toLocaleString('en-US')} pods`);
  await expect(page.getByTestId('risk-item')).toHaveCount(windows.length - alike);
  await page.screenshot({ path: shot('timeline-large-rollout.png') });
  // Scroll to the bottom: rows are virtualised, the canvas keeps drawing.
  await page.getByTestId('lanes').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForTimeout(100);
  await page.screenshot({ path: shot('timeline-large-rollout-bottom.png') });
});

test('dark theme timeline', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${ROLLOUT}&from=2026-11-22T05%3A41%3A15.000Z&to=2026-11-22T05%3A41%3A45.000Z`);
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await page.waitForTimeout(200);
  await page.screenshot({ path: shot('timeline-dark.png') });
});

test('a cluster opened without a range or episode shows its latest episode, not the clock\'s last hour', async ({ page }) => {
  await page.goto('/timeline?cluster=fixture-rollout&namespace=default');
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await expect.poll(async () => (await range(page)).to).toBeLessThan(Date.parse('2026-11-22T06:00:00Z'));
  const r = await range(page);
  expect(r.from).toBeLessThanOrEqual(Date.parse('2026-11-22T05:41:31Z'));
  expect(r.to).toBeGreaterThanOrEqual(Date.parse('2026-11-22T05:41:40Z'));
});

test('a range without data says so with the data\'s span, and its export is refused', async ({ page, request }) => {
  const empty = 'cluster=fixture-rollout&from=2025-01-01T00%3A00%3A00.000Z&to=2025-01-01T01%3A00%3A00.000Z';
  await page.goto(`/timeline?${empty}`);
  await expect(page.getByTestId('no-data')).toContainText('No data in this range: the data of cluster fixture-rollout spans 2026-11-22T');
  await expect(page.getByTestId('view-verdict')).toHaveCount(0);
  const res = await request.get(`/api/export?format=md&${empty}`);
  expect(res.status()).toBe(404);
  expect((await res.json()).error).toMatch(/^no data in this range: the data of cluster fixture-rollout spans 2026-11-22T\S+ → 2026-11-22T\S+$/);
});

test('large-rollout: the episode opens on its activity, from just before its first delete to just after its last change', async ({ page }) => {
  // Issue 14: it opened on an empty stretch before the first delete (a fixed 30 s of padding).
  const res = await page.request.get(`/api/timeline?cluster=large-rollout&namespace=shop&episode=${encodeURIComponent('rollout:shop:web:1767614400000')}`);
  const doc = (await res.json()) as { pods: { deleteRequestedAt: string | null; removedAt: string | null }[] };
  const deletes = doc.pods.flatMap((p) => (p.deleteRequestedAt ? [Date.parse(p.deleteRequestedAt)] : []));
  const removals = doc.pods.flatMap((p) => (p.removedAt ? [Date.parse(p.removedAt)] : []));
  expect(deletes).toHaveLength(500);
  const first = Math.min(...deletes);
  const last = Math.max(...removals);
  await page.goto(LARGE);
  await expect(page.getByText(/[\d,]+ pods · [\d,]+ events/)).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await range(page)).from).toBeGreaterThan(0);
  const r = await range(page);
  // A small margin either side (4 % of the 31 s of activity): no empty stretch, nothing cut off.
  expect(r.from).toBeLessThan(first);
  expect(r.from).toBeGreaterThanOrEqual(first - 2_000);
  expect(r.to).toBeGreaterThan(last);
  expect(r.to).toBeLessThanOrEqual(last + 2_000);
  // The URL says the same range (shareable).
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe(new Date(r.from).toISOString());
  expect(new URL(page.url()).searchParams.get('to')).toBe(new Date(r.to).toISOString());
  // Zoomed in, F (fit) comes back to the same activity range.
  await page.keyboard.press('w');
  await rangeChange(page, r);
  await page.keyboard.press('f');
  await expect.poll(async () => JSON.stringify(await range(page))).toBe(JSON.stringify(r));
});
