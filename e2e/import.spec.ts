import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// The upload panel on the home page, against its OWN `next start` on a fresh, empty store: an import adds a
// cluster for good, and the shared seeded store must keep exactly the clusters home.spec.ts counts.
// Serial, so the file gets one worker and one server.
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 } });

const FIXTURE = path.join(process.cwd(), '../shared/fixtures/real-v1.24-rollout');
const RECORDING_FILES = ['pods.jsonl', 'endpointslices.jsonl', 'events.jsonl'];

let server: ChildProcess | undefined;
let serverLog = '';
let base = '';
let tmp = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, deadline: number): Promise<void> {
  for (;;) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`import test server exited (${server.exitCode}):\n${serverLog}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`import test server did not answer ${url}:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.beforeAll(async () => {
  test.setTimeout(60_000);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'drainscope-e2e-import-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: process.cwd(),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DRAINSCOPE_DATA_DIR: path.join(tmp, 'data'), DRAINSCOPE_WATCH: 'off', DRAINSCOPE_RETENTION_DAYS: '3650' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  await waitForHealth(`${base}/api/health`, Date.now() + 45_000);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server?.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const shot = (name: string) => path.join(test.info().project.outputDir, name);

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test('uploading a real recording makes a cluster whose timeline shows the 3 risk windows', async ({ page }) => {
  const problems = watchProblems(page);
  const file = path.join(tmp, 'rollout-recording.jsonl');
  const parts = await Promise.all(RECORDING_FILES.map((f) => readFile(path.join(FIXTURE, f), 'utf8')));
  await writeFile(file, parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join(''));

  await page.goto(`${base}/`);
  await expect(page.getByText('No cluster has recorded anything yet.')).toBeVisible();
  const panel = page.getByTestId('import-panel');
  await expect(panel.getByRole('heading', { name: 'Import' })).toBeVisible();
  const upload = panel.getByRole('button', { name: 'Upload' });
  await expect(upload).toBeDisabled(); // nothing chosen yet

  await panel.getByLabel('File').setInputFiles(file);
  await panel.getByLabel('Cluster name (optional)').fill('uploaded-rollout');
  await page.screenshot({ path: shot('home-import.png'), fullPage: true });

  const answer = page.waitForResponse((r) => r.url().includes('/api/import?') && r.request().method() === 'POST');
  await upload.click();
  const res = await answer;
  expect(res.status()).toBe(200);
  expect(res.request().headers()['x-drainscope-import']).toBe('1');
  expect(new URL(res.url()).searchParams.get('name')).toBe('rollout-recording.jsonl');
  expect(new URL(res.url()).searchParams.get('cluster')).toBe('uploaded-rollout');

  // The success line carries the server's counts; a fresh store has nothing to deduplicate.
  const success = panel.getByTestId('import-success');
  await expect(success).toHaveText(
    /^Imported rollout-recording\.jsonl into cluster uploaded-rollout: ([\d,]+) observations, \1 new, 0 already stored\. Open its timeline$/,
  );
  const observations = Number(/: ([\d,]+) observations/.exec((await success.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
  expect(observations).toBeGreaterThan(50);
  // The cluster list refetched: the new cluster is there without a reload, and the file stays chosen.
  await expect(page.getByTestId('cluster-card').filter({ hasText: 'uploaded-rollout' })).toBeVisible();
  expect(await panel.getByLabel('File').evaluate((el: HTMLInputElement) => el.files?.[0]?.name)).toBe('rollout-recording.jsonl');
  await page.screenshot({ path: shot('home-import-done.png'), fullPage: true });

  await success.getByRole('link', { name: 'Open its timeline' }).click();
  await expect(page).toHaveURL(/\/timeline\?.*cluster=uploaded-rollout/);
  const items = page.getByTestId('risk-item');
  await expect(items).toHaveCount(3);
  for (const item of await items.all()) await expect(item).toHaveAttribute('data-rule', 'sigterm-before-deregistration');
  await page.screenshot({ path: shot('import-timeline.png') });
  expect(problems).toEqual([]);
});

test('a truncated last line is refused with the exact file:line error, and nothing is stored', async ({ page }) => {
  const lines = (await readFile(path.join(FIXTURE, 'pods.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const cut = lines[lines.length - 1]?.slice(0, 200) ?? '';
  const file = path.join(tmp, 'broken-pods.jsonl');
  await writeFile(file, [...lines.slice(0, -1), cut].join('\n'));

  await page.goto(`${base}/`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('File').setInputFiles(file);
  await panel.getByLabel('Cluster name (optional)').fill('broken-upload');
  const answer = page.waitForResponse((r) => r.url().includes('/api/import?'));
  await panel.getByRole('button', { name: 'Upload' }).click();
  expect((await answer).status()).toBe(400);

  const error = panel.getByRole('alert');
  await expect(error).toHaveText(
    `broken-pods.jsonl:${lines.length}: truncated line: the file ends mid-object after 200 characters. Expected one JSON watch event per line: {"type":"ADDED|MODIFIED|DELETED","object":{…}}`,
  );
  await expect(panel.getByTestId('import-success')).toHaveCount(0);
  // Nothing lost: the same file and name are still there for a retry.
  expect(await panel.getByLabel('File').evaluate((el: HTMLInputElement) => el.files?.[0]?.name)).toBe('broken-pods.jsonl');
  await expect(panel.getByLabel('Cluster name (optional)')).toHaveValue('broken-upload');
  await expect(panel.getByRole('button', { name: 'Upload' })).toBeEnabled();
  await page.screenshot({ path: shot('home-import-error.png'), fullPage: true });

  // All or nothing: the store has no broken-upload cluster, in the API and on a freshly loaded home page.
  const clusters = (await (await page.request.get(`${base}/api/clusters`)).json()) as { clusters: { name: string }[] };
  expect(clusters.clusters.map((c) => c.name)).not.toContain('broken-upload');
  await page.reload();
  await expect(page.getByTestId('cluster-card').filter({ hasText: 'uploaded-rollout' })).toBeVisible();
  await expect(page.getByTestId('cluster-card').filter({ hasText: 'broken-upload' })).toHaveCount(0);
});

test('a file over 512 MiB is refused in the browser with a clear message, without sending it', async ({ page }) => {
  // A sparse file: the browser sees its size without anyone reading (or writing) half a gigabyte.
  const file = path.join(tmp, 'huge.jsonl');
  await writeFile(file, '');
  await truncate(file, 512 * 1024 * 1024 + 1);
  let posted = false;
  page.on('request', (r) => {
    if (r.url().includes('/api/import')) posted = true;
  });

  await page.goto(`${base}/`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('File').setInputFiles(file);
  await panel.getByRole('button', { name: 'Upload' }).click();
  await expect(panel.getByRole('alert')).toHaveText(
    'huge.jsonl is 536,870,913 bytes (512.0 MiB), over the 512 MiB upload limit; nothing was sent. Import it on the server with `drainscope import` and a larger DRAINSCOPE_MAX_INPUT_BYTES.',
  );
  expect(posted).toBe(false);
});
