/**
 * `drainscope import FILE… [--cluster NAME]`: bundles, watch recordings and audit logs into the store
 * (DATABASE_URL / DRAINSCOPE_DATA_DIR). All files are checked before anything is written; one append.
 * Exit 0 = imported, 2 = bad input or usage, 3 = the store could not be opened.
 */
import { ImportError } from "../../../lib/import";
import { importIntoStore, maxImportBytes, readImportFiles } from "../../import/apply";
import { openStore, storeOptionsFromEnv } from "../../store/open-store";
import { boolFlag, parseArgs, stringFlag, UsageError } from "../args";
import type { CliIo } from "../io";

export const IMPORT_HELP = `Usage: drainscope import [options] FILE…

Imports into the store (DATABASE_URL, else the SQLite file in DRAINSCOPE_DATA_DIR, default ./data):
  - a Drainscope bundle (drainscope export --format json);
  - watch recordings in the \`drainscope analyze\` line format
    (kubectl get pods,endpointslices,events -A -w -o json --output-watch-events);
  - Kubernetes audit logs (audit.k8s.io/v1 Event JSON lines; RequestResponse level rebuilds pods and
    EndpointSlices, Metadata level gives who deleted or evicted what, and when).
Every file is checked first; on any error nothing is written. Imported data becomes its own cluster:
a bundle keeps its cluster's name, other files are named after the first file.

Options:
  --cluster NAME   the cluster to import into (overrides the default name)
  -h, --help       show this help

Files over DRAINSCOPE_MAX_INPUT_BYTES (default 512 MiB) are refused.
Exit status: 0 imported, 2 bad input or usage, 3 store unavailable.
`;

const SPEC = { cluster: { type: "string" }, help: { type: "boolean", alias: "h" } } as const;

export async function importCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(IMPORT_HELP);
      return 0;
    }
    if (args.positionals.length === 0) throw new UsageError("no file given: drainscope import FILE…");
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope import: ${e.message}\n\n${IMPORT_HELP}`);
      return 2;
    }
    throw e;
  }
  const cluster = stringFlag(args, "cluster");
  let files;
  try {
    files = await readImportFiles(args.positionals, maxImportBytes(io.env));
  } catch (e) {
    if (e instanceof ImportError) {
      io.err(`drainscope import: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const opened = await openStore(storeOptionsFromEnv(io.env));
  if (!opened.ok) {
    io.err(`drainscope import: ${opened.error.message}\n`);
    return 3;
  }
  const store = opened.store;
  try {
    const r = await importIntoStore(store, files, { ...(cluster !== undefined ? { cluster } : {}), maxBytes: maxImportBytes(io.env) });
    for (const f of r.files) io.out(`${f.name}: ${f.format}, ${f.records} record(s)\n`);
    io.out(`imported into cluster "${r.cluster}": ${r.observations} observation(s), ${r.inserted} new, ${r.duplicates} already stored (${store.location})\n`);
    return 0;
  } catch (e) {
    if (e instanceof ImportError) {
      io.err(`drainscope import: ${e.message}\nNothing was imported.\n`);
      return 2;
    }
    throw e;
  } finally {
    await store.close();
  }
}
