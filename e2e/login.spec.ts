import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// Logging in through the page, against its OWN `next start` with DRAINSCOPE_AUTH_TOKEN set, on a fresh store.
// Also proves the page's own writes (an import) pass the Origin guard and no script is blocked by the nonce CSP.
test.describe.configure({ mode: 'serial' });

const TOKEN = 'e2e-login-token-0123456789';
const FIXTURE = path.join(process.cwd(), '../shared/fixtures/real-v1.24-rollout/pods.jsonl');
// Two ports above the shared servers' E2E_PORT and E2E_PORT + 1.
const port = Number(process.env.E2E_PORT ?? 3100) + 2;
const base = `http://127.0.0.1:${port}`;

let server: ChildProcess | undefined;
let serverLog = '';
let tmp = '';

async function waitForHealth(url: string, deadline: number): Promise<void> {
  for (;;) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`login test server exited (${server.exitCode}):\n${serverLog}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`login test server did not answer ${url}:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.beforeAll(async () => {
  test.setTimeout(60_000);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'drainscope-e2e-login-'));
  server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: process.cwd(),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DRAINSCOPE_DATA_DIR: path.join(tmp, 'data'), DRAINSCOPE_WATCH: 'off', DRAINSCOPE_AUTH_TOKEN: TOKEN },
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

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // A wrong token's 401 is expected; anything else (a CSP violation above all) is a failure.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test('a page sends you to /login; the token logs you in with an HttpOnly cookie; logging out sends you back', async ({ page, context }) => {
  const problems = watchProblems(page);
  await page.goto(`${base}/?from=login-test`);
  await expect(page).toHaveURL(`${base}/login?next=%2F%3Ffrom%3Dlogin-test`);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  const field = page.getByLabel('Token (DRAINSCOPE_AUTH_TOKEN)');
  await field.fill('not-the-token');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('login-form').getByRole('alert')).toHaveText('That token is not right.');
  expect(await context.cookies()).toEqual([]);

  await field.fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(`${base}/?from=login-test`);
  await expect(page.getByText('No cluster has recorded anything yet.')).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name === 'drainscope_token');
  expect(session).toMatchObject({ value: TOKEN, httpOnly: true, sameSite: 'Strict', path: '/', secure: false });

  // The page's own write carries its Origin and passes the guard.
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('File').setInputFiles(FIXTURE);
  await panel.getByLabel('Cluster name (optional)').fill('after-login');
  const answer = page.waitForResponse((r) => r.url().includes('/api/import?') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: 'Upload' }).click();
  const res = await answer;
  expect(res.status()).toBe(200);
  expect(await res.request().headerValue('origin')).toBe(base);
  // The timeline page (canvas, charts) runs under the nonce CSP too.
  await page.getByTestId('import-success').getByRole('link', { name: 'Open its timeline' }).click();
  await expect(page).toHaveURL(/\/timeline\?.*cluster=after-login/);
  await expect(page.getByTestId('lanes-canvas')).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(`${base}/login`);
  expect((await context.cookies()).map((c) => c.name)).toEqual([]);
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${base}/login?next=%2F`);
  expect(problems).toEqual([]);
});
