/**
 * `drainscope import FILE… [--cluster NAME]`: bundles, watch recordings and audit logs into the store
 * (DATABASE_URL / DRAINSCOPE_DATA_DIR), all files of one command as one cluster. Files of any size, gzip
 * or not, are streamed (server/import/stream.ts); all are checked before anything is written; one append.
 * On a terminal, stderr shows one updating progress line.
 * Exit 0 = imported, 2 = bad input or usage, 3 = the store could not be opened.
 */
import { ImportError } from "../../../lib/import";
import { progressLine } from "../../../lib/import/progress-text";
import { checkImportPaths, importPaths, type ImportProgress } from "../../import/stream";
import { openStore, storeOptionsFromEnv } from "../../store/open-store";
import { boolFlag, clusterFlag, parseArgs, stringFlag, UsageError } from "../args";
import { humanIo, type CliIo } from "../io";
import { counted } from "../../../lib/text/count";

export const IMPORT_HELP = `Usage: drainscope import [options] FILE…

Imports into the store (DATABASE_URL, else the SQLite file in DRAINSCOPE_DATA_DIR, default ./data):
  - a Drainscope bundle (drainscope export --format json);
  - watch recordings in the \`drainscope analyze\` line format
    (kubectl get pods,endpointslices,events -A -w -o json --output-watch-events);
  - Kubernetes audit logs (audit.k8s.io/v1 Event JSON lines; RequestResponse level rebuilds pods and
    EndpointSlices, Metadata level gives who deleted or evicted what, and when).
The files of one command are ONE import and ONE cluster: recordings split by kind (pods.jsonl,
endpointslices.jsonl, events.jsonl) are ordered together exactly as \`drainscope analyze\` orders them,
so the timeline, key times and risk windows are the ones analyze reports for the same files. Every file
is checked first; on any error nothing is written.

The cluster's name: --cluster if given; else a bundle's own cluster; else the first file with a telling
name (incident-42.audit.jsonl → incident-42); else, for per-kind files, their folder
(…/real-v1.24-rollout/pods.jsonl → real-v1.24-rollout).

Options:
  --cluster NAME   the cluster to import into (overrides the default name)
  -h, --help       show this help

Files of any size are read line by line (gzip-compressed ones too, .gz or not: told by their first bytes);
audit-log entries that change nothing Drainscope tracks are skipped unparsed. On a terminal, stderr shows
the progress (bytes read, lines/s, time left).
Exit status: 0 imported, 2 bad input or usage, 3 store unavailable.
`;

const SPEC = { cluster: { type: "string" }, help: { type: "boolean", alias: "h" } } as const;

export async function importCommand(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // File names and messages quote the imported files: keep their control sequences off the terminal.
  const io = humanIo(rawIo);
  let args;
  try {
    args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(IMPORT_HELP);
      return 0;
    }
    if (args.positionals.length === 0) throw new UsageError("no file given: drainscope import FILE…");
    clusterFlag(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope import: ${e.message}\n\n${IMPORT_HELP}`);
      return 2;
    }
    throw e;
  }
  const cluster = stringFlag(args, "cluster");
  try {
    await checkImportPaths(args.positionals);
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
  const progress = rawIo.errIsTTY ? progressWriter(rawIo.err, () => performance.now()) : undefined;
  try {
    const r = await importPaths(store, args.positionals, { ...(cluster !== undefined ? { cluster } : {}), ...(progress ? { onProgress: progress.update } : {}) });
    progress?.clear();
    for (const f of r.files) io.out(`${f.name}: ${f.format}, ${counted(f.records, "record")}\n`);
    io.out(`imported into cluster "${r.cluster}": ${counted(r.observations, "observation")}, ${r.inserted} new, ${r.duplicates} already stored (${store.location})\n`);
    return 0;
  } catch (e) {
    progress?.clear();
    if (e instanceof ImportError) {
      io.err(`drainscope import: ${e.message}\nNothing was imported.\n`);
      return 2;
    }
    throw e;
  } finally {
    await store.close();
  }
}

/**
 * One progress line on a terminal, redrawn in place ("\r") at most 10 times a second, cleared when done.
 * Written raw: "\r" is the point (humanIo would strip it); the line holds only numbers.
 */
export function progressWriter(write: (t: string) => void, now: () => number): { update: (p: ImportProgress) => void; clear: () => void } {
  const start = now();
  let last = -Infinity;
  let width = 0;
  let endDrawn = false;
  return {
    update(p) {
      const t = now();
      // The first report at the total is drawn at once; after it (a .gz file is read whole before it is
      // all decompressed) the 100 ms pace holds again.
      const atEnd = p.totalBytes !== undefined && p.bytes >= p.totalBytes;
      if (t - last < 100 && !(atEnd && !endDrawn)) return;
      if (atEnd) endDrawn = true;
      last = t;
      const text = progressLine({ bytes: p.bytes, lines: p.lines, elapsedMs: t - start, ...(p.totalBytes !== undefined ? { totalBytes: p.totalBytes } : {}) });
      write(`\r${text.padEnd(width)}`);
      width = Math.max(width, text.length);
    },
    clear() {
      if (width > 0) write(`\r${" ".repeat(width)}\r`);
      width = 0;
    },
  };
}
