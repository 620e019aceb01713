/**
 * Child process for the dashboard kill -9 test (outages.test.ts): the real runtime watching the cluster
 * of KUBECONFIG (argv[3]) into the SQLite store in DATA_DIR (argv[2]). It prints `in-sync` once every
 * resource is watching, and `outage RESOURCE` once a resource is failing with its gap open; the test
 * then SIGKILLs it and starts a dashboard again on the same data dir.
 */
import { loadConfig } from "../config";
import { startRuntime, systemEffects } from "./../runtime/runtime";

const [dir, kubeconfig] = process.argv.slice(2);
if (!dir || !kubeconfig) {
  console.error("usage: kill9-dashboard.ts DATA_DIR KUBECONFIG");
  process.exit(2);
}
const env = { KUBECONFIG: kubeconfig, DRAINSCOPE_DATA_DIR: dir };
const rt = await startRuntime(loadConfig(env), { env, log: (l) => console.error(l), effects: systemEffects, tuning: { backoffInitialMs: 20, backoffMaxMs: 200 } });
const told = new Set<string>();
const tell = (line: string) => {
  if (told.has(line)) return;
  told.add(line);
  process.stdout.write(`${line}\n`);
};
setInterval(() => {
  const rs = rt.clusters().flatMap((c) => c.resources);
  if (rs.length > 0 && rs.every((r) => r.connected)) tell("in-sync");
  for (const r of rs) if (r.failure && r.openGap) tell(`outage ${r.resource}`);
}, 20);
// Bounded, so a test that fails to kill it still ends.
setTimeout(() => process.exit(3), 45_000);
