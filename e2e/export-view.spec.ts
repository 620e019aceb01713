// Exports are the view on screen: in an episode view zoomed in with one pod pinned, the Export menu's SVG
// and PNG hold exactly that pod's lane and exactly the visible range of the URL, while the whole episode's
// export (the menu before zooming and pinning) holds every lane and the episode's range.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readPngText } from '../lib/export/png-text';
import { formatDuration } from '../lib/view/format';

// The store the base server reads (playwright.config.ts).
const DATA_DIR = process.env.E2E_DATA_DIR ?? `${process.env.TMPDIR ?? '/tmp'}/drainscope-e2e-${Number(process.env.E2E_PORT ?? 3100)}`;
const ROLLOUT = '/timeline?cluster=fixture-rollout&namespace=default&episode=rollout%3Adefault%3Aweb%3A1795326091000';

test.use({ viewport: { width: 1600, height: 1000 } });

const shot = (name: string) => path.join(test.info().project.outputDir, name);

/** The visible range as the URL holds it (from/to, ISO), in epoch ms. */
function urlRange(page: Page): { from: number; to: number } {
  const u = new URL(page.url());
  return { from: Date.parse(u.searchParams.get('from') ?? ''), to: Date.parse(u.searchParams.get('to') ?? '') };
}

/** What the SVG says it shows: its range attributes and its pod lanes, top to bottom. */
function svgView(svg: string) {
  const root = /^<svg [^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(root)?.[1] ?? '';
  const lanes = [...svg.matchAll(/<g data-pod-uid="([^"]+)" data-pod-name="([^"]+)"/g)].map((m) => ({ uid: m[1], name: m[2] }));
  return { from: Number(attr('data-range-from')), to: Number(attr('data-range-to')), lanes, listed: attr('data-lanes').split(',').filter(Boolean) };
}

function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

test('the SVG and PNG exports of a zoomed, pinned episode view hold exactly its lanes and range', async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.goto(ROLLOUT);
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  const menu = page.getByTestId('export-menu');

  // The whole episode first: every lane of the episode, the episode's range.
  await expect(menu).toHaveAttribute('data-lanes', /,.*,/);
  const allLanes = (await menu.getAttribute('data-lanes'))?.split(',') ?? [];
  expect(allLanes).toHaveLength(3);
  const wholeSvg = await (await request.get((await page.getByTestId('export-svg').getAttribute('href')) ?? '')).text();
  const whole = svgView(wholeSvg);
  expect(whole.lanes.map((l) => l.uid)).toEqual(allLanes);

  // Pin the second pod (select it with the arrow keys, X pins it), then zoom in with W.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  // Each press writes the URL: wait for the second one's (a pod in the URL may still be the first press's).
  await expect.poll(() => new URL(page.url()).searchParams.get('pod')).toBe(allLanes[1]);
  const pinned = new URL(page.url()).searchParams.get('pod') ?? '';
  await page.keyboard.press('x');
  await page.keyboard.press('Escape'); // close the drawer: the risk list is back
  for (let i = 0; i < 6; i++) await page.keyboard.press('w');
  await expect(page).toHaveURL(new RegExp(`pin=${pinned}`));
  // The URL settles on the zoomed range (debounced), and the menu on the same range and lane. Polled together:
  // after an early W the URL may already be narrow while the later presses are still settling.
  await expect.poll(async () => {
    const r = urlRange(page);
    const [from, to] = [await menu.getAttribute('data-range-from'), await menu.getAttribute('data-range-to')];
    return r.to - r.from < (whole.to - whole.from) * 0.3 && from === String(r.from) && to === String(r.to);
  }, { timeout: 10_000 }).toBe(true);
  const screen = urlRange(page);
  await expect(menu).toHaveAttribute('data-range-from', String(screen.from));
  await expect(menu).toHaveAttribute('data-range-to', String(screen.to));
  await expect(menu).toHaveAttribute('data-lanes', pinned);

  // SVG: exactly the pinned lane and the URL's range; the whole-episode export differs on both.
  const svgHref = (await page.getByTestId('export-svg').getAttribute('href')) ?? '';
  expect(svgHref).toContain(`pin=${pinned}`);
  const svgRes = await request.get(svgHref);
  expect(svgRes.status()).toBe(200);
  const svg = await svgRes.text();
  const view = svgView(svg);
  expect(view.lanes.map((l) => l.uid)).toEqual([pinned]);
  expect(view.listed).toEqual([pinned]);
  expect({ from: view.from, to: view.to }).toEqual(screen);
  expect(whole.lanes.length).toBeGreaterThan(view.lanes.length);
  expect(whole.to - whole.from).toBeGreaterThan(view.to - view.from);
  // The pinned lane is labelled as on screen, with its sub-lane labels, and the service chart is there.
  const podName = view.lanes[0]?.name ?? '';
  expect(svg).toContain(`>★ ${podName}</text>`);
  expect(svg).toMatch(/data-row="endpoint">ep web-/);
  expect(svg).toContain('<g data-service="default/web"');

  // PNG: the same picture (size of the SVG) and the same view in its tEXt chunk.
  const pngRes = await request.get((await page.getByTestId('export-png').getAttribute('href')) ?? '');
  expect(pngRes.status()).toBe(200);
  const png = await pngRes.body();
  const [, w, h] = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  expect(pngSize(png)).toEqual({ width: Number(w), height: Number(h) });
  const meta = JSON.parse(readPngText(new Uint8Array(png))['drainscope:view'] ?? '{}') as { from: number; to: number; lanes: { uid: string }[]; pinned: string[] };
  expect({ from: meta.from, to: meta.to }).toEqual(screen);
  expect(meta.lanes.map((l) => l.uid)).toEqual([pinned]);
  expect(meta.pinned).toEqual([pinned]);

  // CSV: only the risk windows of that pod (the screen's list shows them among the others).
  const csv = await (await request.get((await page.getByTestId('export-csv').getAttribute('href')) ?? '')).text();
  const rows = csv.trim().split('\r\n').slice(1);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r).toContain(pinned);

  // `drainscope export` with the link's options, on the server's store, writes the same bytes.
  const q = new URL(svgHref, 'http://x').searchParams;
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'ds-e2e-export-')), 'view.svg');
  const args = ['export', '--format', 'svg', '-o', out];
  for (const k of ['cluster', 'namespace', 'episode', 'from', 'to', 'pin']) args.push(`--${k}`, q.get(k) ?? '');
  execFileSync(process.execPath, ['bin/drainscope.js', ...args], { env: { ...process.env, DRAINSCOPE_DATA_DIR: DATA_DIR }, stdio: 'pipe' });
  expect(readFileSync(out, 'utf8')).toBe(svg);

  // The menu says what the files hold.
  await menu.locator('summary').click();
  await expect(page.getByTestId('export-scope')).toHaveText(`The view on screen: 1 pinned pod · ${formatDuration(screen.to - screen.from)}`);
  await page.screenshot({ path: shot('export-view-screen.png') });
  writeFileSync(shot('export-view.svg'), svg);
  writeFileSync(shot('export-view.png'), png);
});

test('a view opened from a URL with a range and a pin (no episode) exports that range and that lane', async ({ page, request }) => {
  const from = '2026-11-22T05:41:30.000Z';
  const to = '2026-11-22T05:41:36.500Z';
  const api = (await (await request.get(`/api/timeline?cluster=fixture-rollout&namespace=default&from=${from}&to=${to}`)).json()) as { lanes: { uid: string; name: string }[] };
  expect(api.lanes.length).toBeGreaterThan(1);
  const pin = api.lanes[api.lanes.length - 1];
  await page.goto(`/timeline?cluster=fixture-rollout&namespace=default&from=${from}&to=${to}&pin=${pin?.uid ?? ''}`);
  const menu = page.getByTestId('export-menu');
  await expect(menu).toHaveAttribute('data-lanes', pin?.uid ?? '');
  await expect(menu).toHaveAttribute('data-range-from', String(Date.parse(from)));
  await expect(menu).toHaveAttribute('data-range-to', String(Date.parse(to)));
  const svg = await (await request.get((await page.getByTestId('export-svg').getAttribute('href')) ?? '')).text();
  const view = svgView(svg);
  expect(view.lanes).toEqual([{ uid: pin?.uid, name: pin?.name }]);
  expect({ from: view.from, to: view.to }).toEqual({ from: Date.parse(from), to: Date.parse(to) });
});

test('with lane filters on, the menu, the SVG and `drainscope export` hold exactly the lanes on screen', async ({ page, request }) => {
  const from = '2026-11-22T05:41:00.000Z';
  const to = '2026-11-22T05:42:00.000Z';
  // The new revision's pods by a part of their name, and idle lanes hidden: fewer lanes than the view's six.
  await page.goto(`/timeline?cluster=fixture-rollout&namespace=default&from=${from}&to=${to}&q=B8D86886D&idle=hide`);
  await expect(page.getByTestId('lane-count')).toHaveAttribute('data-shown', /^[1-5]$/);
  const onScreen = ((await page.getByTestId('lanes').getAttribute('data-lane-uids')) ?? '').split(' ').filter(Boolean);
  expect(onScreen.length).toBeGreaterThan(0);
  const menu = page.getByTestId('export-menu');
  await expect(menu).toHaveAttribute('data-lanes', onScreen.join(','));
  const svgHref = (await page.getByTestId('export-svg').getAttribute('href')) ?? '';
  expect(svgHref).toContain('q=B8D86886D');
  expect(svgHref).toContain('idle=hide');
  const svg = await (await request.get(svgHref)).text();
  expect(svgView(svg).lanes.map((l) => l.uid).sort()).toEqual([...onScreen].sort());

  // The CLI with the matching options writes the same bytes.
  const q = new URL(svgHref, 'http://x').searchParams;
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'ds-e2e-export-')), 'filtered.svg');
  const args = ['export', '--format', 'svg', '-o', out, '--search', q.get('q') ?? '', '--hide-idle'];
  for (const k of ['cluster', 'namespace', 'from', 'to']) args.push(`--${k}`, q.get(k) ?? '');
  execFileSync(process.execPath, ['bin/drainscope.js', ...args], { env: { ...process.env, DRAINSCOPE_DATA_DIR: DATA_DIR }, stdio: 'pipe' });
  expect(readFileSync(out, 'utf8')).toBe(svg);
});
