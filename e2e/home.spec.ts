import path from 'node:path';
import { expect, test } from '@playwright/test';

test('home page renders under the production CSP and shows how to use the CLI', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
  expect(response?.headers()['x-powered-by']).toBeUndefined();

  await expect(page).toHaveTitle('Drainscope');
  await expect(page.getByRole('heading', { level: 1, name: 'Drainscope' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The dashboard is coming' })).toBeVisible();
  await expect(page.getByText('npx drainscope analyze FILE…')).toBeVisible();

  // The Next.js runtime booted (its scripts were allowed by the CSP) and Tailwind's stylesheet applied.
  await expect.poll(() => page.evaluate(() => 'next' in window)).toBe(true);
  const headingFontSize = await page
    .getByRole('heading', { level: 1 })
    .evaluate((element) => getComputedStyle(element).fontSize);
  expect(headingFontSize).toBe('36px');

  // A fixed name in test-results/ so a person can look at it after every run.
  await page.screenshot({ path: path.join(test.info().project.outputDir, 'home.png'), fullPage: true });
  expect(problems).toEqual([]);
});

test('/api/health answers ok', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(await response.json()).toMatchObject({ status: 'ok', mode: 'store-only', store: { kind: 'sqlite' } });
});

test('the theme follows the OS preference and data-theme overrides it', async ({ page }) => {
  const canvasColor = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const light = await canvasColor();

  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await canvasColor();
  expect(dark).not.toBe(light);
  await page.screenshot({ path: path.join(test.info().project.outputDir, 'home-dark.png'), fullPage: true });

  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  expect(await canvasColor()).toBe(light);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  expect(await canvasColor()).toBe(dark);
});
