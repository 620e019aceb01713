/**
 * Child process for the kill -9 test (sqlite.test.ts): appends batches to the SQLite store in DATA_DIR
 * (argv[2]) as fast as it can and prints `committed N` (events in the store) after each append returns.
 * The test SIGKILLs it mid-run; every N it printed must survive. Ids carry the pid and the batch number,
 * so a second run adds new events to the same file.
 */
import { openStore } from "./open-store";
import { syntheticRollout } from "./synthetic";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: kill9-writer.ts DATA_DIR");
  process.exit(2);
}
const opened = await openStore({ dataDir: dir });
if (!opened.ok) {
  console.error(opened.error.message);
  process.exit(1);
}
const template = syntheticRollout({ pods: 150, cluster: "kill9" });
// Bounded so a test that fails to kill it still ends.
for (let batch = 0; batch < 10_000; batch++) {
  await opened.store.append(template.map((e) => ({ ...e, id: `${process.pid}:${batch}:${e.id}` })));
  const { events } = await opened.store.stats();
  process.stdout.write(`committed ${events}\n`);
}
await opened.store.close();
