import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// Issue 14: every loop of a simulated scenario is its own episode (they merged into one growing episode),
// and tearing a round down between loops is no outage (no no-ready-endpoints window). Its OWN production
// server plays clean-rollout in a loop at 10× (a round is about 4 s of wall time), with a throwaway store.

const PORT = Number(process.env.E2E_LOOPS_PORT ?? 3192);
const BASE = `http://127.0.0.1:${PORT}`;
const NS = 'clean-rollout';

let server: ChildProcess | undefined;
let dataDir = '';
let serverLog = '';

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.use({ baseURL: BASE });

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'drainscope-loops-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DRAINSCOPE_WATCH: 'on', DRAINSCOPE_SIMULATE: NS, DRAINSCOPE_SIM_SPEED: '10', DRAINSCOPE_DATA_DIR: dataDir };
  delete env.KUBECONFIG;
  delete env.DRAINSCOPE_CONTEXTS;
  server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--hostname', '127.0.0.1', '--port', String(PORT)], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => {
    serverLog = (serverLog + b.toString()).slice(-8_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`loops server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(async () => {
  const pid = server?.pid;
  if (pid !== undefined && server?.exitCode === null) {
    const exited = new Promise((r) => server?.once('exit', r));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // exited
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface EpisodeRow {
  readonly id: string;
  readonly namespace: string;
  readonly start: string;
  readonly end: string | null;
  readonly podCount: number;
  readonly verdict: string;
}

test('each loop of a scenario is its own episode, and the teardown between loops is no outage', async ({ request }) => {
  // Three rounds: the first two are finished when the third has begun.
  let eps: EpisodeRow[] = [];
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/episodes?cluster=simulated&namespace=${NS}&limit=50`);
        if (!res.ok()) return 0;
        eps = ((await res.json()) as { episodes: EpisodeRow[] }).episodes.filter((e) => e.namespace === NS);
        return eps.length;
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBeGreaterThanOrEqual(3);
  const done = eps.filter((e) => e.end !== null);
  expect(done.length).toBeGreaterThanOrEqual(2);
  // A round replaces the 3 replicas: 3 pods per episode, never a growing one.
  for (const e of done) expect(e.podCount, `${e.id}`).toBe(3);
  expect(new Set(eps.map((e) => e.id)).size).toBe(eps.length);
  for (const e of done) expect(e.verdict, `${e.id}`).toBe('clean');

  // Over the whole recording so far, the teardowns between rounds raised no no-ready-endpoints window.
  const first = Math.min(...eps.map((e) => Date.parse(e.start)));
  const res = await request.get(`/api/timeline?cluster=simulated&namespace=${NS}&from=${first - 60_000}&to=${Date.now() + 600_000}`);
  expect(res.ok()).toBe(true);
  const doc = (await res.json()) as { riskWindows: { rule: string; start: string }[] };
  expect(doc.riskWindows.filter((w) => w.rule === 'no-ready-endpoints')).toEqual([]);
});
