import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnServer, type OwnServer } from './support/own-server';

// Logging in through the page, against its OWN `next start` with DRAINSCOPE_AUTH_TOKEN set, on a fresh store.
// Also proves the page's own writes (an import) pass the Origin guard and no script is blocked by the nonce CSP.
test.describe.configure({ mode: 'serial' });

const TOKEN = 'e2e-login-token-0123456789';
const FIXTURE = path.join(process.cwd(), '../shared/fixtures/real-v1.24-rollout/pods.jsonl');

let server: OwnServer | undefined;
let base = '';

test.beforeAll(async () => {
  test.setTimeout(60_000);
  server = await startOwnServer('login', { DRAINSCOPE_AUTH_TOKEN: TOKEN });
  base = server.base;
});

test.afterAll(async () => {
  await server?.stop();
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
