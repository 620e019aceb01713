/**
 * `drainscope analyze FILE…`: watch recordings in, per-pod key times and risk windows out.
 * Exit 0 = analysed, 1 = a window at or above --fail-on was found, 2 = bad input or usage.
 */
import { readFile, stat } from "node:fs/promises";
import type { Timeline } from "../../../lib/engine/types";
import { postmortemMarkdown } from "../../../lib/export/markdown";
import type { LifecycleEvent } from "../../../lib/model/events";
import { RecordingFiles } from "../../../lib/recording/analyze";
import { RecordingError } from "../../../lib/recording/parse";
import { toAnalysisDocument } from "../../../lib/report/analysis-json";
import { formatAnalysisTable } from "../../../lib/report/analysis-table";
import { SEVERITY_RANK, type Severity } from "../../../lib/rules/ids";
import { boolFlag, clusterFlag, listFlag, numberFlag, parseArgs, stringFlag, UsageError } from "../args";
import { humanIo, type CliIo } from "../io";
import { counted } from "../../../lib/text/count";

export const ANALYZE_HELP = `Usage: drainscope analyze [options] FILE…

Reads watch recordings — one JSON object per line, as printed by
  kubectl get pods,endpointslices,events -A -w -o json --output-watch-events
(optionally with an "observedAt" RFC 3339 time per line; kinds may be mixed in one file or spread
over several) — and prints the episodes, each terminated pod's key times and every risk window.

Options:
  -o, --output FORMAT     table (default), json (one JSON document) or markdown (the postmortem
                          summary the dashboard exports)
  --json                  the same as -o json
  --fail-on SEVERITY      exit 1 if a window of this severity or worse is found (critical|high|medium)
  --all-pods              list every pod, not only those that were terminated
  --cluster NAME          cluster name to record (default: recording)
  --budget SECONDS        propagation budget after deregistration before SIGTERM is safe (default 2)
  --service-budget NS/SVC=SECONDS
                          per-service budget, e.g. shop/gateway=10 (repeatable)
  --slow-removal SECONDS  delete → endpoint-not-ready longer than this is slow (default 1)
  -h, --help              show this help

Exit status: 0 analysed, 1 --fail-on matched, 2 bad input or usage.
`;

const SPEC = {
  output: { type: "string", alias: "o" },
  json: { type: "boolean" },
  "fail-on": { type: "string" },
  "all-pods": { type: "boolean" },
  cluster: { type: "string" },
  budget: { type: "string" },
  "service-budget": { type: "string", repeat: true },
  "slow-removal": { type: "string" },
  help: { type: "boolean", alias: "h" },
} as const;

const OUTPUT_FORMATS = ["table", "json", "markdown"] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

function outputFormat(flag: string | undefined, json: boolean): OutputFormat {
  if (flag === undefined) return json ? "json" : "table";
  const format = OUTPUT_FORMATS.find((f) => f === flag);
  if (!format) throw new UsageError(`-o must be one of ${OUTPUT_FORMATS.join(", ")}, got "${flag}"`);
  if (json && format !== "json") throw new UsageError(`--json contradicts -o ${format}`);
  return format;
}

/** The dashboard's postmortem Markdown, over the whole recording: one engine result, two renderings. */
function analysisMarkdown(timeline: Timeline, cluster: string, events: readonly LifecycleEvent[]): string {
  const doc = toAnalysisDocument(timeline, { allPods: true });
  const from = events.reduce((m, e) => Math.min(m, e.range[0]), timeline.now);
  return postmortemMarkdown({
    cluster,
    view: {},
    doc: { generatedFor: doc.generatedFor, range: { from, to: timeline.now }, lanes: timeline.pods, riskWindows: doc.riskWindows, episodes: doc.episodes, suggestions: doc.suggestions, gaps: timeline.gaps },
  });
}

/** Refuse files larger than this (bytes); DRAINSCOPE_MAX_INPUT_BYTES overrides. */
export const DEFAULT_MAX_INPUT_BYTES = 512 * 1024 * 1024;

function parseServiceBudgets(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^/=]+)\/([^=]+)=([0-9.]+)$/.exec(v);
    if (!m?.[1] || !m[2] || !m[3]) throw new UsageError(`--service-budget expects NAMESPACE/SERVICE=SECONDS, got "${v}"`);
    out[`${m[1]}/${m[2]}`] = Number(m[3]) * 1000;
  }
  return out;
}

export async function analyzeCommand(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Everything but the JSON document is read on a terminal: make it terminal-safe.
  const io = humanIo(rawIo);
  let args;
  try {
    args = parseArgs(argv, SPEC);
    if (boolFlag(args, "help")) {
      io.out(ANALYZE_HELP);
      return 0;
    }
    const failOn = stringFlag(args, "fail-on");
    if (failOn !== undefined && !["critical", "high", "medium"].includes(failOn)) {
      throw new UsageError(`--fail-on must be critical, high or medium, got "${failOn}"`);
    }
    const output = outputFormat(stringFlag(args, "output"), boolFlag(args, "json"));
    if (args.positionals.length === 0) throw new UsageError("no recording given: drainscope analyze FILE…");
    const budget = numberFlag(args, "budget", { min: 0, max: 3600 });
    const slow = numberFlag(args, "slow-removal", { min: 0, max: 3600 });
    const serviceBudgetsMs = parseServiceBudgets(listFlag(args, "service-budget"));
    const cluster = clusterFlag(args) ?? "recording";
    const maxBytes = Number(io.env.DRAINSCOPE_MAX_INPUT_BYTES ?? DEFAULT_MAX_INPUT_BYTES);

    const recording = new RecordingFiles(cluster, { stream: args.positionals.length === 1 });
    for (const file of args.positionals) {
      const read = await readRecordingFile(file, maxBytes, recording);
      if (!read.ok) {
        io.err(`drainscope analyze: ${read.error}\n`);
        return 2;
      }
    }
    const { events, timeline, lines } = recording.analyze({
      ...(budget !== undefined ? { propagationBudgetMs: budget * 1000 } : {}),
      ...(slow !== undefined ? { slowEndpointRemovalMs: slow * 1000 } : {}),
      serviceBudgetsMs,
    });
    const allPods = boolFlag(args, "all-pods");
    switch (output) {
      case "json":
        rawIo.out(JSON.stringify(toAnalysisDocument(timeline, { allPods }), null, 2) + "\n");
        break;
      case "markdown":
        io.out(analysisMarkdown(timeline, cluster, events));
        break;
      case "table":
        io.out(formatAnalysisTable(timeline, { files: args.positionals, lines }));
        break;
    }
    if (failOn !== undefined) {
      const threshold = SEVERITY_RANK[failOn as Severity];
      const hits = timeline.riskWindows.filter((w) => SEVERITY_RANK[w.severity] >= threshold);
      if (hits.length > 0) {
        io.err(`drainscope analyze: ${counted(hits.length, "risk window")} of severity ${failOn} or worse (--fail-on ${failOn})\n`);
        return 1;
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`drainscope analyze: ${e.message}\n\n${ANALYZE_HELP}`);
      return 2;
    }
    throw e;
  }
}

/** Reads one file into the recording (which checks every line of it before the next file is read). */
async function readRecordingFile(file: string, maxBytes: number, recording: RecordingFiles): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, error: `${file}: not a regular file` };
    if (info.size > maxBytes) return { ok: false, error: `${file}: ${info.size} bytes is over the ${maxBytes}-byte input limit (DRAINSCOPE_MAX_INPUT_BYTES)` };
    const text = await readFile(file, "utf8");
    recording.add(file, text);
    return { ok: true };
  } catch (e) {
    if (e instanceof RecordingError) return { ok: false, error: e.message };
    const code = errnoCode(e);
    if (code === "ENOENT") return { ok: false, error: `${file}: no such file` };
    if (code === "EACCES") return { ok: false, error: `${file}: permission denied` };
    throw e;
  }
}

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
}
