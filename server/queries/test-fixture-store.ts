// For tests of the timeline queries: one SQLite store (in a temporary directory) holding the real v1.24
// rollout as cluster "prod-eu" and a 40-pod synthetic rollout as cluster "bench".
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importIntoStore, readImportFiles } from "../import/apply";
import { openSqliteStore } from "../store/sqlite";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");

export async function openRolloutAndBenchStore(tmpPrefix: string): Promise<Store> {
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), tmpPrefix)), "drainscope.db") });
  await importIntoStore(store, await readImportFiles(["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].map((f) => join(FIXTURE, f)), 1e9), { cluster: "prod-eu" });
  await store.append(syntheticRollout({ pods: 40, cluster: "bench" }));
  return store;
}
