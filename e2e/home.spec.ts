import path from 'node:path';
import { expect, test } from '@playwright/test';

// The store is seeded before the server starts (playwright.config.ts): fixture-rollout (3 risk windows),
// fixture-clean (none) and fixture-pods-only (the rollout's pods without any EndpointSlice data), recorded
// on 2026-11-22, and large-rollout (1,000 pods, dated 2026-01-05).
// The home page lists each cluster's latest episodes whatever their age: the browser's clock is pinned, to
// two weeks and to a year after the recordings, and the list is the same.

test('home renders under the production CSP and lists clusters and recent episodes', async ({ page }) => {
  await page.clock.setFixedTime(new Date('2026-12-06T12:00:00Z'));
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
  await expect(cards).toHaveCount(4);
  await expect(cards.filter({ hasText: 'fixture-rollout' })).toContainText('stored history');
  // Watcher off: the mode notice says so.
  await expect(page.getByText('Mode: store-only.')).toBeVisible();

  const episodes = page.getByTestId('episode');
  // Every cluster's latest episodes, newest first, however old: not the browser's last 24 h.
  await expect(episodes).toHaveCount(4);
  await expect(episodes.nth(0)).toContainText('clean-rollout/web');
  await expect(episodes.nth(1)).toContainText('fixture-pods-only');
  await expect(episodes.nth(2)).toContainText('fixture-rollout');
  await expect(episodes.nth(3)).toContainText('shop/web');
  // Without routing data nothing can be called clean: incomplete, with the reason.
  const podsOnly = episodes.nth(1);
  await expect(podsOnly.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'incomplete');
  await expect(podsOnly.locator('[data-verdict]')).toHaveAttribute('title', 'no EndpointSlice data for these pods');
  await expect(podsOnly.getByTestId('verdict-reason')).toHaveText('no EndpointSlice data for these pods: ');
  await expect(podsOnly).toContainText('too little data to call it clean');
  const risky = episodes.filter({ hasText: 'fixture-rollout' });
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
  await expect(page).not.toHaveURL(/cluster=/);
  await expect(episodes).toHaveCount(4);
  // "Since" still narrows by the browser's clock when asked to (pinned to 2026-12-06 here).
  const since = page.getByRole('combobox', { name: 'Since', exact: true });
  await expect(since).toHaveValue('latest');
  await since.selectOption('24h');
  await expect(page).toHaveURL(/since=24h/);
  await expect(episodes).toHaveCount(0);
  await expect(page.getByText('No episode in the last 24h.')).toBeVisible();
  await since.selectOption('30d');
  await expect(episodes).toHaveCount(3);
  await since.selectOption('365d');
  await expect(episodes).toHaveCount(4);
  expect(problems).toEqual([]);
});

test('a year after the recordings, the home page still lists their episodes by default', async ({ page }) => {
  await page.clock.setFixedTime(new Date('2027-12-06T12:00:00Z'));
  await page.goto('/');
  const episodes = page.getByTestId('episode');
  await expect(episodes).toHaveCount(4);
  const rollout = episodes.filter({ hasText: 'fixture-rollout' });
  await expect(rollout.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'risky');
  await expect(rollout).toContainText('2026-11-22');
  await expect(episodes.filter({ hasText: 'clean-rollout/web' }).locator('[data-verdict]')).toHaveAttribute('data-verdict', 'clean');
  // Its timeline opens on the episode, with the windows where the data has them.
  await rollout.getByRole('link').click();
  await expect(page.getByTestId('risk-item')).toHaveCount(3);
  await expect(page.getByTestId('view-verdict')).toContainText('risky');
  // The pods-only recording's timeline says why it is not clean.
  await page.goto('/');
  await episodes.filter({ hasText: 'fixture-pods-only' }).getByRole('link').click();
  await expect(page.getByTestId('view-verdict')).toContainText('incomplete');
  await expect(page.getByTestId('view-verdict')).toContainText('no EndpointSlice data for these pods');
  await expect(page.getByTestId('risk-item')).toHaveCount(0);
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
