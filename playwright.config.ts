import { defineConfig, devices } from '@playwright/test';

// e2e tests run against a production build (`npm run test:e2e` builds first) served by `next start`.
// Chromium is Debian's (never `npx playwright install`): CHROMIUM_PATH overrides /usr/bin/chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const isCI = Boolean(process.env.CI);
const dataDir = process.env.E2E_DATA_DIR ?? `${process.env.TMPDIR ?? '/tmp'}/drainscope-e2e-${port}`;
// The simulator's scenarios (cluster `scenario-<name>` each) live in a second store behind a second server, so
// the specs that count the main store's clusters and episodes (home.spec.ts) do not see them.
const scenariosPort = port + 1;
const scenariosURL = `http://127.0.0.1:${scenariosPort}`;
const scenariosDataDir = `${dataDir}-scenarios`;
const SCENARIOS_SPEC = /seed-scenarios\.spec\.ts$/;
const serverEnv = (dir: string) => ({
  NEXT_TELEMETRY_DISABLED: '1',
  DRAINSCOPE_DATA_DIR: dir,
  DRAINSCOPE_WATCH: process.env.E2E_WATCH ?? 'off',
  // No DRAINSCOPE_RETENTION_DAYS: retention counts from when a row was recorded in the store, so the seeded
  // history (dated 2026-01-05 and 2026-11-22) stays under the default 14 days, however old its events are.
});
const chromium = {
  ...devices['Desktop Chrome'],
  deviceScaleFactor: 1,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Keep the browser off the network: only loopback resolves.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      '--force-device-scale-factor=1',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: isCI,
  retries: 0,
  workers: isCI ? 2 : undefined,
  reporter: isCI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  timeout: 30_000,
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: SCENARIOS_SPEC, use: chromium },
    { name: 'scenarios', testMatch: SCENARIOS_SPEC, use: { ...chromium, baseURL: scenariosURL } },
  ],
  webServer: [
    {
      // A fresh store every run: the folder (E2E_DATA_DIR, or one under /tmp named after the port) is removed first,
      // since a store left by an earlier run holds rows recorded by older code, and under a clock a year ahead
      // retention would rightly prune them. Then seed (fixture-rollout, fixture-clean, fixture-pods-only,
      // large-rollout), then
      // `exec node …/next` rather than `npx next` so Playwright's stop signal reaches next-server itself.
      command: `rm -rf '${dataDir}' && node bin/run-ts.js server/dev/seed.ts '${dataDir}' --only base && exec node node_modules/next/dist/bin/next start --hostname 127.0.0.1 --port ${port}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: !isCI,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      // A throwaway store per run; the app watches the built-in simulated cluster (no kubeconfig here).
      env: serverEnv(dataDir),
    },
    {
      // Every simulator scenario but large-rollout, recorded at speed (a few seconds), for seed-scenarios.spec.ts.
      command: `rm -rf '${scenariosDataDir}' && node bin/run-ts.js server/dev/seed.ts '${scenariosDataDir}' --only scenarios && exec node node_modules/next/dist/bin/next start --hostname 127.0.0.1 --port ${scenariosPort}`,
      url: `${scenariosURL}/api/health`,
      reuseExistingServer: !isCI,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: serverEnv(scenariosDataDir),
    },
  ],
});
