// Swimlane benchmark (issue 5: 1,000 pod lanes, first paint < 1.5 s, zoom/pan frames < 16 ms).
// Not a test: prints figures. Needs a running server with the seeded store, e.g.
//   node bin/run-ts.js server/dev/seed.ts /tmp/ui-data
//   DRAINSCOPE_WATCH=off DRAINSCOPE_RETENTION_DAYS=3650 DRAINSCOPE_DATA_DIR=/tmp/ui-data setsid node node_modules/next/dist/bin/next start -H 127.0.0.1 -p 3300 &
//   BASE_URL=http://127.0.0.1:3300 node e2e/bench/timeline-perf.mjs
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3300';
const views = {
  'large-rollout, 1,000 pods (cluster view)': '/timeline?cluster=large-rollout&namespace=shop&from=2026-01-05T11%3A59%3A40.000Z&to=2026-01-05T12%3A00%3A40.000Z',
  'large-rollout, 500-pod episode': '/timeline?cluster=large-rollout&namespace=shop&episode=rollout%3Ashop%3Aweb%3A1767614400000',
};

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return `n=${s.length} mean=${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} p50=${q(0.5).toFixed(2)} p95=${q(0.95).toFixed(2)} max=${(s[s.length - 1] ?? NaN).toFixed(2)} ms`;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--force-device-scale-factor=1', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
});
for (const [name, url] of Object.entries(views)) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Warm the server (first request compiles nothing in production, but the store's page cache matters).
  await page.request.get(`${base}/api/health`);
  const t0 = Date.now();
  await page.goto(base + url);
  await page.waitForFunction(() => window.__drainscopeFirstPaint !== undefined, undefined, { timeout: 30_000 });
  const firstPaint = await page.evaluate(() => window.__drainscopeFirstPaint);
  const api = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/timeline')).map((e) => Math.round(e.duration)));
  const pods = await page.getByTestId('lanes').getAttribute('aria-label');
  console.log(`\n${name}: ${pods?.match(/of (\d+) pods/)?.[1]} pods`);
  console.log(`  first swimlane paint: ${firstPaint?.toFixed(0)} ms after navigation start (wall ${Date.now() - t0} ms incl. waiting); /api/timeline ${api.join(', ')} ms`);

  // Interaction frames: the renderer's own draw time, and rAF-to-rAF intervals (includes any React work).
  await page.evaluate(() => {
    window.__drainscopeFrames = [];
    const gaps = [];
    let last = performance.now();
    const loop = (t) => {
      gaps.push(t - last);
      last = t;
      if (window.__benchRun) requestAnimationFrame(loop);
    };
    window.__benchRun = true;
    window.__benchGaps = gaps;
    requestAnimationFrame(loop);
  });
  for (let i = 0; i < 10; i++) for (const k of ['w', 'w', 's', 's', 'd', 'a']) {
    await page.keyboard.press(k);
    await page.waitForTimeout(20);
  }
  const box = await page.getByTestId('lanes').boundingBox();
  if (box) {
    await page.mouse.move(box.x + 600, box.y + 200);
    await page.mouse.down();
    for (let i = 0; i < 60; i++) await page.mouse.move(box.x + 600 - i * 4, box.y + 200 + (i % 2));
    await page.mouse.up();
    await page.mouse.move(box.x + 600, box.y + 200);
    for (let i = 0; i < 20; i++) {
      await page.mouse.wheel(0, 400); // vertical scroll through the virtualised rows
      await page.waitForTimeout(16);
    }
    await page.keyboard.down('Control');
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, i < 10 ? -120 : 120);
    await page.keyboard.up('Control');
  }
  await page.waitForTimeout(300);
  const { draws, gaps } = await page.evaluate(() => {
    window.__benchRun = false;
    return { draws: window.__drainscopeFrames ?? [], gaps: window.__benchGaps ?? [] };
  });
  console.log(`  draw time per frame (zoom, pan, drag, scroll): ${stats(draws)}`);
  console.log(`  rAF intervals during interaction:              ${stats(gaps.slice(1))}`);
  await page.close();
}
await browser.close();
