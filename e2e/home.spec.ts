import path from 'node:path';
import { expect, test } from '@playwright/test';

// The store is seeded before the server starts (playwright.config.ts): fixture-rollout (3 risk windows),
// fixture-clean (none), large-rollout (1,000 pods, dated 2026-01-05).

test('home renders under the production CSP and lists clusters and recent episodes', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
  expect(response?.headers()['x-powered-by']).toBeUndefined();
  await expect(page).toHaveTitle('Drainscope');

  const cards = page.getByTestId('cluster-card');
  await expect(cards).toHaveCount(3);
  await expect(cards.filter({ hasText: 'fixture-rollout' })).toContainText('stored history');
  // Watcher off: the mode notice says so.
  await expect(page.getByText('Mode: store-only.')).toBeVisible();

  const episodes = page.getByTestId('episode');
  await expect(episodes).toHaveCount(2); // the large rollout is older than 24 h
  const risky = episodes.filter({ hasText: 'default/web' });
  await expect(risky.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'risky');
  await expect(risky).toContainText('3 high');
  await expect(risky).toContainText('3 pods');
  await expect(episodes.filter({ hasText: 'clean-rollout/web' }).locator('[data-verdict]')).toHaveAttribute('data-verdict', 'clean');

  // A person looks at this after every run.
  await page.screenshot({ path: path.join(test.info().project.outputDir, 'home.png'), fullPage: true });

  // Filters live in the URL and narrow the list.
  await page.getByRole('combobox', { name: 'Cluster', exact: true }).selectOption('fixture-clean');
  await expect(page).toHaveURL(/cluster=fixture-clean/);
  await expect(episodes).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Cluster', exact: true }).selectOption('');
  await page.getByRole('combobox', { name: 'Since', exact: true }).selectOption('365d');
  await expect(episodes).toHaveCount(3);
  expect(problems).toEqual([]);
});

test('/api/health answers ok', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(await response.json()).toMatchObject({ status: 'ok' });
});

test('the theme follows the OS preference and data-theme overrides it', async ({ page }) => {
  const canvasColor = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByTestId('episode').first()).toBeVisible();
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
