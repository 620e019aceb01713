import { execFile } from 'node:child_process';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { startOwnServer, type OwnServer } from './support/own-server';

// The upload panel on the home page, against its OWN `next start` on a fresh, empty store: an import adds a
// cluster for good, and the shared seeded store must keep exactly the clusters home.spec.ts counts.
// Serial, so the file gets one worker and one server.
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 } });

const FIXTURE = path.join(process.cwd(), '../shared/fixtures/real-v1.24-rollout');
const RECORDING_FILES = ['pods.jsonl', 'endpointslices.jsonl', 'events.jsonl'];

interface AnalyzedWindow {
  rule: string;
  severity: string;
  start: string;
  end: string | null;
  pods: string[];
  explanation: string;
}

/** What `drainscope analyze --json` says about the same files: the answer the upload must reproduce. */
async function analyzeWindows(files: readonly string[], cluster: string): Promise<AnalyzedWindow[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/drainscope.js', 'analyze', '--json', '--cluster', cluster, ...files], { cwd: process.cwd() });
  return (JSON.parse(stdout) as { riskWindows: AnalyzedWindow[] }).riskWindows;
}

let server: OwnServer | undefined;
let base = '';
let tmp = '';

test.beforeAll(async () => {
  test.setTimeout(60_000);
  server = await startOwnServer('import', {});
  base = server.base;
  tmp = server.scratch;
});

test.afterAll(async () => {
  await server?.stop();
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

test('the three per-kind files of a real recording, uploaded together, give the same 3 windows as analyze', async ({ page }) => {
  const problems = watchProblems(page);
  const files = RECORDING_FILES.map((f) => path.join(FIXTURE, f));
  const expected = await analyzeWindows(files, 'uploaded-rollout');
  expect(expected.map((w) => [w.rule, w.severity])).toEqual(Array(3).fill(['sigterm-before-deregistration', 'high']));

  await page.goto(`${base}/`);
  await expect(page.getByText('No cluster has recorded anything yet.')).toBeVisible();
  const panel = page.getByTestId('import-panel');
  await expect(panel.getByRole('heading', { name: 'Import' })).toBeVisible();
  const upload = panel.getByRole('button', { name: 'Upload' });
  await expect(upload).toBeDisabled(); // nothing chosen yet

  await panel.getByLabel('Files').setInputFiles(files);
  await expect(panel.getByTestId('import-chosen')).toHaveText('To import as one cluster: pods.jsonl, endpointslices.jsonl, events.jsonl.');

  // Per-kind names picked one by one carry no folder: the server asks which cluster this is, and keeps nothing.
  const refused = page.waitForResponse((r) => r.url().includes('/api/import') && r.request().method() === 'POST');
  await upload.click();
  expect((await refused).status()).toBe(400);
  await expect(panel.getByRole('alert')).toHaveText(
    'pods.jsonl, endpointslices.jsonl, events.jsonl: which cluster is this? Per-kind file names (pods.jsonl, events.jsonl…) with no folder do not say: give a cluster name (--cluster NAME, or the Cluster name field)',
  );
  // The browser logs that refused request as a console error: expected here, so it is not a problem.
  expect(problems.splice(0)).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);

  await panel.getByLabel('Cluster name (optional)').fill('uploaded-rollout');
  await page.screenshot({ path: shot('home-import.png'), fullPage: true });
  const answer = page.waitForResponse((r) => r.url().includes('/api/import') && r.request().method() === 'POST');
  await upload.click();
  const res = await answer;
  expect(res.status()).toBe(200);
  expect(res.request().headers()['x-drainscope-import']).toBe('1');
  expect(res.request().headers()['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  expect(new URL(res.url()).searchParams.get('cluster')).toBe('uploaded-rollout');
  const result = (await res.json()) as { cluster: string; files: { name: string; format: string }[]; timelineUrl: string };
  expect(result.files.map((f) => [f.name, f.format])).toEqual(RECORDING_FILES.map((f) => [f, 'recording']));

  // One request, one cluster: the success line carries the server's counts; a fresh store has nothing to deduplicate.
  const success = panel.getByTestId('import-success');
  await expect(success).toHaveText(/^Imported 3 files into cluster uploaded-rollout: ([\d,]+) observations, \1 new, 0 already stored\. Open its timeline$/);
  await expect(page.getByTestId('cluster-card').filter({ hasText: 'uploaded-rollout' })).toBeVisible();
  await expect(page.getByTestId('cluster-card')).toHaveCount(1);
  expect(await panel.getByLabel('Files').evaluate((el: HTMLInputElement) => [...(el.files ?? [])].map((f) => f.name))).toEqual(RECORDING_FILES);
  await page.screenshot({ path: shot('home-import-done.png'), fullPage: true });

  // The API answers analyze's windows exactly; the page lists the same three.
  const timeline = (await (await page.request.get(`${base}/api${result.timelineUrl}`)).json()) as { riskWindows: AnalyzedWindow[] };
  expect(timeline.riskWindows).toEqual(expected);
  await success.getByRole('link', { name: 'Open its timeline' }).click();
  await expect(page).toHaveURL(/\/timeline\?.*cluster=uploaded-rollout/);
  const items = page.getByTestId('risk-item');
  await expect(items).toHaveCount(3);
  for (const w of expected) {
    const item = items.filter({ hasText: w.explanation });
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-rule', w.rule);
    await expect(item).toContainText(w.pods[0] ?? '');
  }
  await page.screenshot({ path: shot('import-timeline.png') });
  expect(problems).toEqual([]);
});

test('a folder upload becomes one cluster named after the folder, leaving out what is not a recording', async ({ page }) => {
  const problems = watchProblems(page);
  const expected = await analyzeWindows(RECORDING_FILES.map((f) => path.join(FIXTURE, f)), 'real-v1.24-rollout');
  await page.goto(`${base}/`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('or a folder').setInputFiles(FIXTURE);
  await expect(panel.getByTestId('import-chosen')).toHaveText('To import as one cluster: endpointslices.jsonl, events.jsonl, pods.jsonl. Left out: manifest.yaml.');
  const answer = page.waitForResponse((r) => r.url().includes('/api/import') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: 'Upload' }).click();
  const res = await answer;
  expect(res.status()).toBe(200);
  const result = (await res.json()) as { cluster: string; files: { name: string }[]; timelineUrl: string };
  expect(result.cluster).toBe('real-v1.24-rollout');
  expect(result.files.map((f) => f.name)).toEqual(['endpointslices.jsonl', 'events.jsonl', 'pods.jsonl'].map((f) => `real-v1.24-rollout/${f}`));
  await expect(panel.getByTestId('import-success')).toContainText('Imported folder real-v1.24-rollout (3 files) into cluster real-v1.24-rollout');
  const timeline = (await (await page.request.get(`${base}/api${result.timelineUrl}`)).json()) as { riskWindows: AnalyzedWindow[] };
  expect(timeline.riskWindows).toEqual(expected);
  expect(problems).toEqual([]);
});

test('a truncated last line is refused with the exact file:line error, and nothing is stored', async ({ page }) => {
  const lines = (await readFile(path.join(FIXTURE, 'pods.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const cut = lines[lines.length - 1]?.slice(0, 200) ?? '';
  const file = path.join(tmp, 'broken-pods.jsonl');
  await writeFile(file, [...lines.slice(0, -1), cut].join('\n'));

  await page.goto(`${base}/`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('Files').setInputFiles(file);
  await panel.getByLabel('Cluster name (optional)').fill('broken-upload');
  const answer = page.waitForResponse((r) => r.url().includes('/api/import'));
  await panel.getByRole('button', { name: 'Upload' }).click();
  expect((await answer).status()).toBe(400);

  const error = panel.getByRole('alert');
  await expect(error).toHaveText(
    `broken-pods.jsonl:${lines.length}: truncated line: the file ends mid-object after 200 characters. Expected one JSON watch event per line: {"type":"ADDED|MODIFIED|DELETED","object":{…}}`,
  );
  await expect(panel.getByTestId('import-success')).toHaveCount(0);
  // Nothing lost: the same file and name are still there for a retry.
  expect(await panel.getByLabel('Files').evaluate((el: HTMLInputElement) => el.files?.[0]?.name)).toBe('broken-pods.jsonl');
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
  await panel.getByLabel('Files').setInputFiles(file);
  await panel.getByRole('button', { name: 'Upload' }).click();
  await expect(panel.getByRole('alert')).toHaveText(
    'huge.jsonl is 536,870,913 bytes (512.0 MiB), over the 512 MiB upload limit; nothing was sent. Import it on the server with `drainscope import` (no size limit) or raise DRAINSCOPE_MAX_UPLOAD_BYTES.',
  );
  expect(posted).toBe(false);
});
