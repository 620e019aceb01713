/**
 * Reading a Drainscope bundle back: the whole document must parse, carry the expected format and
 * version, and every observation must pass the lifecycle-event schema and belong to the bundle's cluster.
 * Errors name the line of the offending observation (found by a scan of the text, so a pretty-printed or
 * hand-edited bundle gets the right line too).
 */
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle, type BundleView } from "../export/bundle";
import type { LifecycleEvent } from "../model/events";
import { describeEventIssues, LifecycleEventSchema } from "../model/events-schema";
import { clusterNameProblem } from "../model/names";
import { rangeProblem, timeProblem } from "../model/time-limits";
import { ImportError, jsonErrorLine, lastLine } from "./errors";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Line numbers of the elements of the top-level "observations" array, in order. */
export function observationLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let lastKey = "";
  let inObservations = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') {
        inString = false;
        if (depth === 1) lastKey = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\n") continue;
    if (inObservations && depth === 2 && expectingElement && c !== "]") {
      lines.push(line);
      expectingElement = false;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === "{" || c === "[") {
      depth++;
      if (c === "[" && depth === 2 && lastKey === "observations") {
        inObservations = true;
        expectingElement = true;
      }
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 1) inObservations = false;
    } else if (c === "," && inObservations && depth === 2) expectingElement = true;
  }
  return lines;
}

const EXPECTED = `a ${BUNDLE_FORMAT} JSON document {"format":"${BUNDLE_FORMAT}","version":${BUNDLE_VERSION},"cluster":…,"view":{…},"observations":[…]}`;

export function parseBundle(file: string, text: string): Bundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /at position (\d+)/.exec(msg)?.[1];
    if (/end of JSON input|Unterminated string/i.test(msg) || (pos !== undefined && Number(pos) >= text.trimEnd().length)) {
      throw new ImportError(file, lastLine(text), `truncated: the file ends before the bundle is complete. Expected ${EXPECTED}`);
    }
    throw new ImportError(file, jsonErrorLine(text, msg) ?? badObservationLine(text) ?? 1, `not valid JSON (${msg}). Expected ${EXPECTED}`);
  }
  if (!isRecord(raw) || raw.format !== BUNDLE_FORMAT) throw new ImportError(file, 1, `not a Drainscope bundle: expected "format": "${BUNDLE_FORMAT}"`);
  if (raw.version !== BUNDLE_VERSION) {
    throw new ImportError(file, 1, `bundle version ${JSON.stringify(raw.version)} is not supported: this Drainscope reads version ${BUNDLE_VERSION}${typeof raw.version === "number" && raw.version > BUNDLE_VERSION ? " (the bundle is from a newer Drainscope)" : ""}`);
  }
  if (typeof raw.cluster !== "string" || raw.cluster === "") throw new ImportError(file, 1, 'missing field "cluster": expected the name of the cluster the bundle was exported from');
  const badCluster = clusterNameProblem(raw.cluster);
  if (badCluster) throw new ImportError(file, 1, `field "cluster": ${badCluster}`);
  if (!Array.isArray(raw.observations)) throw new ImportError(file, 1, 'missing field "observations": expected an array of lifecycle events');
  const view = parseView(file, raw.view);
  const lines = observationLines(text);
  const observations: LifecycleEvent[] = [];
  raw.observations.forEach((o: unknown, i) => {
    const line = lines[i] ?? 1;
    const parsed = LifecycleEventSchema.safeParse(o);
    if (!parsed.success) {
      const type = isRecord(o) && typeof o.type === "string" ? ` (type "${o.type}")` : "";
      throw new ImportError(file, line, `observation ${i + 1}${type} is invalid: ${describeEventIssues(parsed.error)}`);
    }
    if (parsed.data.cluster !== raw.cluster) {
      throw new ImportError(file, line, `observation ${i + 1} belongs to cluster "${parsed.data.cluster}" but the bundle is for "${String(raw.cluster)}": several clusters are mixed in one bundle`);
    }
    observations.push(parsed.data);
  });
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, cluster: raw.cluster, view, observations };
}

/** Where V8 gives no position: the first one-object line (our layout) that does not parse on its own. */
function badObservationLine(text: string): number | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] ?? "").trim().replace(/,$/, "");
    if (!l.startsWith("{") || l.startsWith('{"format"')) continue;
    try {
      JSON.parse(l);
    } catch {
      return i + 1;
    }
  }
  return undefined;
}

function parseView(file: string, v: unknown): BundleView {
  if (v === undefined) return {};
  if (!isRecord(v)) throw new ImportError(file, 1, 'field "view" must be an object');
  const out: Record<string, string | number> = {};
  for (const k of ["namespace", "service", "workload", "episode", "pod", "risk"] as const) {
    const val = v[k];
    if (val === undefined) continue;
    if (typeof val !== "string") throw new ImportError(file, 1, `field "view.${k}" must be a string`);
    out[k] = val;
  }
  for (const k of ["from", "to"] as const) {
    const val = v[k];
    if (val === undefined) continue;
    if (typeof val !== "number" || !Number.isFinite(val)) throw new ImportError(file, 1, `field "view.${k}" must be epoch milliseconds`);
    const p = timeProblem(val);
    if (p) throw new ImportError(file, 1, `field "view.${k}": ${p}`);
    out[k] = val;
  }
  const inverted = typeof out.from === "number" && typeof out.to === "number" ? rangeProblem(out.from, out.to, "view.from", "view.to") : undefined;
  if (inverted) throw new ImportError(file, 1, `field "view": ${inverted}`);
  // Pinned lanes (an export of a pinned view): uids, as the timeline URL writes them.
  const pinned = v.pinned;
  if (pinned === undefined) return out;
  if (!Array.isArray(pinned) || pinned.length > 200 || !pinned.every((u): u is string => typeof u === "string" && /^[0-9a-zA-Z-]{1,64}$/.test(u))) {
    throw new ImportError(file, 1, 'field "view.pinned" must be a list of at most 200 pod uids');
  }
  return { ...out, pinned };
}
