/**
 * `drainscope delete --cluster NAME [--yes]`: removes every stored row of one cluster from the store
 * (DATABASE_URL / DRAINSCOPE_DATA_DIR). Imported clusters are never pruned by retention: this is how they
 * go. Without --yes it asks on the terminal (type the name back); with no terminal to ask on (a script, a
 * pipe, CI) it refuses rather than guess. Exit 0 deleted, 1 declined, 2 bad usage or no such cluster,
 * 3 the store could not be opened.
 */
import { createInterface } from "node:readline/promises";
import { openStore, storeOptionsFromEnv } from "../../store/open-store";
import { boolFlag, clusterFlag, parseArgs, UsageError } from "../args";
import type { CliIo } from "../io";
import { counted } from "../../../lib/text/count";

export const DELETE_HELP = `Usage: drainscope delete --cluster NAME [--yes]

Deletes every observation of one cluster from the store (DATABASE_URL, else the SQLite file in
DRAINSCOPE_DATA_DIR, default ./data). Imported clusters are kept until you delete them; watched clusters
are also pruned by retention (DRAINSCOPE_RETENTION_DAYS). A watcher still recording the cluster writes it
again: stop it first.

Options:
  --cluster NAME   the cluster to delete (required)
  --yes            do not ask for confirmation (needed when standard input is not a terminal)
  -h, --help       show this help

Exit status: 0 deleted, 1 not confirmed, 2 bad usage or no such cluster, 3 store unavailable.
`;

const SPEC = { cluster: { type: "string" }, yes: { type: "boolean", alias: "y" }, help: { type: "boolean", alias: "h" } } as const;

/**
 * Asks one question on the terminal; undefined when there is no terminal to ask on. Injected, so tests
 * answer for the user.
 */
export type Ask = (question: string) => Promise<string | undefined>;

export const askOnTerminal: Ask = async (question) => {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
};

export async function deleteCommand(argv: readonly string[], io: CliIo, ask: Ask = askOnTerminal): Promise<number> {
  let cluster: string;
  let yes: boolean;
  try {
    const args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(DELETE_HELP);
      return 0;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}": name the cluster with --cluster NAME`);
    const c = clusterFlag(args);
    if (c === undefined) throw new UsageError("--cluster NAME is required");
    cluster = c;
    yes = boolFlag(args, "yes");
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope delete: ${e.message}\n\n${DELETE_HELP}`);
      return 2;
    }
    throw e;
  }
  const opened = await openStore(storeOptionsFromEnv(io.env));
  if (!opened.ok) {
    io.err(`drainscope delete: ${opened.error.message}\n`);
    return 3;
  }
  const store = opened.store;
  try {
    const all = await store.clusters();
    const found = all.find((c) => c.name === cluster);
    if (!found) {
      const known = all.map((c) => c.name).join(", ") || "none";
      io.err(`drainscope delete: no cluster "${cluster}" in the store (${store.location}; clusters: ${known})\n`);
      return 2;
    }
    const what = `cluster "${cluster}" (${found.origin}, ${counted(found.events, "observation")}) from ${store.location}`;
    if (!yes) {
      const answer = await ask(`Delete ${what}? This cannot be undone. Type the cluster name to confirm: `);
      if (answer === undefined) {
        io.err(`drainscope delete: refusing to delete ${what} without confirmation: standard input is not a terminal. Pass --yes to delete without asking.\n`);
        return 2;
      }
      if (answer.trim() !== cluster) {
        io.err("drainscope delete: not confirmed; nothing was deleted.\n");
        return 1;
      }
    }
    const n = await store.deleteCluster(cluster);
    io.out(`deleted cluster "${cluster}": ${counted(n, "observation")} (${store.location})\n`);
    return 0;
  } finally {
    await store.close();
  }
}
