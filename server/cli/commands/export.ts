/**
 * `drainscope export --format FMT -o FILE [view options]`: one view of the store as a file — the same
 * renderers as GET /api/export. Exit 0 = written, 2 = usage or nothing to export (no such cluster or
 * episode, or no data in the range: never an empty file with a verdict), 3 = store unavailable.
 */
import { writeFile } from "node:fs/promises";
import { ExpandListSchema, PinListSchema, TimelineQuerySchema, describeIssues } from "../../../lib/api/contracts";
import { ExportLaneFilterSchema, type ExportLaneFilter } from "../../../lib/export/export-query";
import { EXPORT_FORMATS, type ExportFormat } from "../../../lib/export/types";
import { AmbiguousClusterError, exportView } from "../../export/export-view";
import { RenderError } from "../../export/png";
import { NotFoundError } from "../../queries/timeline";
import { openStore, storeOptionsFromEnv } from "../../store/open-store";
import { boolFlag, listFlag, parseArgs, stringFlag, UsageError } from "../args";
import type { CliIo } from "../io";

export const EXPORT_HELP = `Usage: drainscope export --format FORMAT -o FILE [options]

Exports one timeline view from the store (DATABASE_URL, else DRAINSCOPE_DATA_DIR):
  json   versioned bundle (observations + view) that \`drainscope import\` reads back losslessly
  md     Markdown postmortem summary (verdict, risk-window table, per-pod key times, fixes)
  csv    risk windows, one per row (RFC 4180)
  trace  Chrome trace-event JSON for Perfetto / chrome://tracing (one track per pod)
  svg    the timeline picture with title, time axis, legend and the risk-window table
  png    the same picture rendered by headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium)

Options:
  --format FORMAT     json | md | csv | trace | svg | png (required)
  -o, --output FILE   where to write (required; "-" for stdout, text formats only)
  --cluster C         cluster (required when the store holds several)
  --namespace N       only this namespace
  --service S         only pods behind this service
  --episode E         one episode (an id from the dashboard or /api/episodes), computed whole
  --from T --to T     time range, RFC 3339 or epoch ms (default: the latest episode in the data, else
                      the last day of the data; a range without data is an error, exit 2); with
                      --episode, the visible window inside it (the dashboard's zoom)
  --pin UID           only the lanes of these pods (the dashboard's pinned lanes; repeat or a,b,c)
  --expand KEY        with --episode, also the lanes of the replacement pods of this revision
                      (rev:<workload>:<revision>, an expanded summary lane; repeat or a,b)
  --search TEXT       only pods whose name contains TEXT, case-insensitive (the URL's q=)
  --node NODE         only pods on this node (node=)
  --risky             only pods a risk window names (risky=1)
  --hide-idle         without pods idle in the range (idle=hide); pinned pods and --selected stay
  --selected UID      the selected pod (pod=), kept by --hide-idle
                      The dashboard's Export menu gives the same file for the same view: its link's
                      query is these options (from, to, pin, expand, q, node, risky, idle, pod = the URL's).
  -h, --help          show this help
`;

const SPEC = {
  format: { type: "string" },
  output: { type: "string", alias: "o" },
  cluster: { type: "string" },
  namespace: { type: "string" },
  service: { type: "string" },
  workload: { type: "string" },
  episode: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  pin: { type: "string", repeat: true },
  expand: { type: "string", repeat: true },
  search: { type: "string" },
  node: { type: "string" },
  risky: { type: "boolean" },
  "hide-idle": { type: "boolean" },
  selected: { type: "string" },
  help: { type: "boolean", alias: "h" },
} as const;

export async function exportCommand(argv: readonly string[], io: CliIo, now: () => number = Date.now): Promise<number> {
  let args;
  let format: ExportFormat;
  let output: string;
  let query;
  let pinned: readonly string[] = [];
  let expanded: readonly string[] = [];
  let lanes: ExportLaneFilter = { filter: {} };
  try {
    args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(EXPORT_HELP);
      return 0;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
    const f = stringFlag(args, "format");
    if (!f || !(EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}${f ? `, got "${f}"` : ""}`);
    format = f as ExportFormat;
    const o = stringFlag(args, "output");
    if (!o) throw new UsageError("-o FILE is required");
    if (o === "-" && format === "png") throw new UsageError("PNG needs a file: -o FILE");
    output = o;
    if (stringFlag(args, "episode") && stringFlag(args, "service")) throw new UsageError("--episode cannot be combined with --service");
    if (stringFlag(args, "episode") && Boolean(stringFlag(args, "from")) !== Boolean(stringFlag(args, "to"))) throw new UsageError("with --episode, --from and --to go together (the visible window)");
    const pinParsed = PinListSchema.safeParse(listFlag(args, "pin").join(","));
    if (!pinParsed.success) throw new UsageError(`--pin: ${pinParsed.error.issues[0]?.message ?? "invalid"}`);
    pinned = pinParsed.data;
    const expandParsed = ExpandListSchema.safeParse(listFlag(args, "expand").join(","));
    if (!expandParsed.success) throw new UsageError(`--expand: ${expandParsed.error.issues[0]?.message ?? "invalid"}`);
    expanded = expandParsed.data;
    // The lane filters, checked by the schema the link's query goes through.
    const rawFilter: Record<string, string> = {};
    const search = stringFlag(args, "search");
    const node = stringFlag(args, "node");
    const selected = stringFlag(args, "selected");
    if (search !== undefined) rawFilter.q = search;
    if (node !== undefined) rawFilter.node = node;
    if (boolFlag(args, "risky")) rawFilter.risky = "1";
    if (boolFlag(args, "hide-idle")) rawFilter.idle = "hide";
    if (selected !== undefined) rawFilter.pod = selected;
    const lf = ExportLaneFilterSchema.safeParse(rawFilter);
    if (!lf.success) throw new UsageError(describeIssues(lf.error).replace(/^q:/, "--search:").replace(/^pod:/, "--selected:").replace(/^(\w+):/, "--$1:"));
    lanes = lf.data;
    const raw: Record<string, string> = {};
    for (const k of ["cluster", "namespace", "service", "workload", "episode", "from", "to"] as const) {
      const v = stringFlag(args, k);
      if (v !== undefined) raw[k] = v;
    }
    const parsed = TimelineQuerySchema.safeParse(raw);
    if (!parsed.success) throw new UsageError(describeIssues(parsed.error).replace(/^(\w+):/, "--$1:"));
    query = parsed.data;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope export: ${e.message}\n\n${EXPORT_HELP}`);
      return 2;
    }
    throw e;
  }
  const opened = await openStore(storeOptionsFromEnv(io.env));
  if (!opened.ok) {
    io.err(`drainscope export: ${opened.error.message}\n`);
    return 3;
  }
  try {
    const r = await exportView(opened.store, query, format, now(), io.env, undefined, [], { pinned, expanded, filter: lanes.filter, ...(lanes.selected !== undefined ? { selected: lanes.selected } : {}) });
    if (output === "-") io.out(typeof r.body === "string" ? r.body : r.body.toString("utf8"));
    else {
      await writeFile(output, r.body);
      io.err(`wrote ${output} (${format}, ${Buffer.byteLength(r.body)} bytes)\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof AmbiguousClusterError || e instanceof RenderError) {
      io.err(`drainscope export: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await opened.store.close();
  }
}
