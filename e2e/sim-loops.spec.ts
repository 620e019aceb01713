import { expect, test } from '@playwright/test';
import { startOwnServer, type OwnServer } from './support/own-server';

// Issue 14: every loop of a simulated scenario is its own episode (they merged into one growing episode),
// and tearing a round down between loops is no outage (no no-ready-endpoints window). Its OWN production
// server plays clean-rollout in a loop at 10× (a round is about 4 s of wall time), with a throwaway store.

const PORT = Number(process.env.E2E_LOOPS_PORT ?? 3192);
const BASE = `http://127.0.0.1:${PORT}`;
const NS = 'clean-rollout';

let server: OwnServer | undefined;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.use({ baseURL: BASE });

test.beforeAll(async () => {
  server = await startOwnServer('loops', { DRAINSCOPE_WATCH: 'on', DRAINSCOPE_SIMULATE: NS, DRAINSCOPE_SIM_SPEED: '10' }, { port: PORT, unset: ['KUBECONFIG', 'DRAINSCOPE_CONTEXTS'], timeoutMs: 30_000 });
});

test.afterAll(async () => {
  await server?.stop();
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
