/**
 * With leader election, LB sources poll only on the replica that leads the cluster they report for:
 * every replica polling would load the LB's admin API N times and store each member change N times.
 * Leadership is checked once a second; the sources start when this replica takes the Lease and stop
 * when it loses it (an outage of the source is then recorded by whichever replica leads next).
 */
import type { LbSources } from "./lb-sources";

export type Every = (fn: () => void, ms: number) => () => void;

const systemEvery: Every = (fn, ms) => {
  const t = setInterval(fn, ms);
  t.unref();
  return () => clearInterval(t);
};

export function gateLbSources(start: () => LbSources, isLeading: () => boolean, every: Every = systemEvery, checkEveryMs = 1000): LbSources {
  let running: LbSources | undefined;
  // The previous sources finish stopping (and record their open gaps) before new ones start.
  let stopping: Promise<void> | undefined;
  const check = () => {
    const leading = isLeading();
    if (leading && !running && !stopping) running = start();
    else if (!leading && running) {
      const r = running;
      running = undefined;
      stopping = r.stop().finally(() => {
        stopping = undefined;
      });
    }
  };
  check();
  const cancel = every(check, checkEveryMs);
  return {
    health: () => running?.health() ?? [],
    openGaps: () => running?.openGaps() ?? [],
    async stop() {
      cancel();
      const r = running;
      running = undefined;
      await stopping;
      await r?.stop();
    },
  };
}
