import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { startOwnServer, type OwnServer } from './support/own-server';

// The upload panel shows progress (issue 15): a bar that climbs with the bytes sent, reaches 100 %, then
// "importing…", then the result with the imported counts. Uploads are throttled (Chrome DevTools network
// conditions) so the climb is seen. Its OWN `next start` on a fresh store, like import.spec.ts.
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 } });

const FIXTURE = path.join(process.cwd(), '../shared/fixtures/real-v1.24-rollout');
const KINDS = ['pods.jsonl', 'endpointslices.jsonl', 'events.jsonl'];

let server: OwnServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  server = await startOwnServer('import-progress', {});
});

test.afterAll(async () => {
  await server?.stop();
});

test('a throttled upload of a folder (one file gzip-compressed) climbs to 100 %, then imports and names the counts', async ({ page, context }) => {
  const base = server?.base ?? '';
  const dir = path.join(server?.scratch ?? '', 'progress-rollout');
  await mkdir(dir, { recursive: true });
  for (const k of KINDS) {
    const text = await readFile(path.join(FIXTURE, k));
    if (k === 'events.jsonl') await writeFile(path.join(dir, `${k}.gz`), gzipSync(text));
    else await writeFile(path.join(dir, k), text);
  }

  await page.goto(`${base}/`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('or a folder').setInputFiles(dir);
  await expect(panel.getByTestId('import-chosen')).toHaveText('To import as one cluster: endpointslices.jsonl, events.jsonl.gz, pods.jsonl.');

  // Every value the bar and the status line take, recorded in the page as they change.
  await page.evaluate(() => {
    const w = window as unknown as { seen: { value: number | null; status: string }[] };
    w.seen = [];
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="import-progress"]');
      const status = document.querySelector('[data-testid="import-status"]')?.textContent ?? '';
      const last = w.seen[w.seen.length - 1];
      const value = bar ? bar.value : null;
      if (bar && (!last || last.value !== value || last.status !== status)) w.seen.push({ value, status });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 40 * 1024 });

  const answer = page.waitForResponse((r) => r.url().includes('/api/import') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: 'Upload' }).click();
  await expect(panel.getByTestId('import-progress')).toBeVisible();
  await page.waitForFunction(() => {
    const v = document.querySelector<HTMLProgressElement>('[data-testid="import-progress"]')?.value ?? 0;
    return v > 0 && v < 100;
  });
  await page.screenshot({ path: test.info().outputPath('home-import-progress.png'), fullPage: true });
  const res = await answer;
  expect(res.status()).toBe(200);
  const result = (await res.json()) as { cluster: string; observations: number; inserted: number; duplicates: number };
  expect(result.cluster).toBe('progress-rollout');
  expect(result.inserted).toBe(result.observations);

  const success = panel.getByTestId('import-success');
  await expect(success).toHaveText(
    `Imported folder progress-rollout (3 files) into cluster progress-rollout: ${result.observations.toLocaleString('en-US')} observations, ${result.inserted.toLocaleString('en-US')} new, 0 already stored. Open its timeline`,
  );
  await page.screenshot({ path: test.info().outputPath('home-import-progress-done.png'), fullPage: true });

  const seen = await page.evaluate(() => (window as unknown as { seen: { value: number | null; status: string }[] }).seen);
  const values = seen.map((s) => s.value ?? -1);
  // The bar only climbs, passes through values between 0 and 100, and ends at 100 % with "importing…".
  expect(values.every((v, i) => i === 0 || v >= (values[i - 1] ?? 0))).toBe(true);
  expect(values.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(2);
  expect(values[values.length - 1]).toBe(100);
  expect(seen.some((s) => /^Uploading folder progress-rollout \(3 files\): [\d.]+ MiB of [\d.]+ MiB \(\d+ %\)…$/.test(s.status))).toBe(true);
  expect(seen[seen.length - 1]?.status).toMatch(/^Uploaded [\d.]+ MiB \(100 %\); importing folder progress-rollout \(3 files\)…$/);
});
