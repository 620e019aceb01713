/**
 * Test support: counts the runs of the engine's core (the part the read caches keep), with everything else
 * the real engine. A test mocks the engine module with it and reads `engineRuns.n`:
 *   vi.mock("../../lib/engine/timeline", async (original) => (await import("./engine-runs")).countingEngine(original));
 */
import type * as EngineTimeline from "../../lib/engine/timeline";

export const engineRuns = { n: 0 };

export async function countingEngine(importOriginal: () => Promise<typeof EngineTimeline>): Promise<typeof EngineTimeline> {
  const m = await importOriginal();
  return {
    ...m,
    computeTimelineCore: (...a: Parameters<typeof m.computeTimelineCore>) => {
      engineRuns.n++;
      return m.computeTimelineCore(...a);
    },
  };
}
