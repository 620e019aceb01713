/**
 * Import's door checks for recordings and audit logs (bundles go through the event schemas): each line's
 * names and times, named by file and line, and then every observation built from them — so an import
 * refuses what ingest and bundles refuse, with the same rules (lib/model/names.ts, time-limits.ts).
 */
import { eventProblem } from "../model/event-checks";
import type { LifecycleEvent } from "../model/events";
import { namespaceProblem, podNameProblem } from "../model/names";
import { parseTimestamp } from "../model/time";
import { timeProblem } from "../model/time-limits";
import type { RecordedLine } from "../recording/parse";
import { ImportError } from "./errors";

function stampProblem(field: string, value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = parseTimestamp(value);
  const p = timeProblem(ms ?? Number.NaN);
  return p ? `${field}: ${JSON.stringify(value)}${ms === undefined ? " is not a valid time (not RFC 3339)" : p.slice(p.indexOf(" is not"))}` : undefined;
}

/** Throws ImportError at the first line with a bad name or time. */
export function checkRecordedLines(lines: readonly RecordedLine[]): void {
  for (const l of lines) {
    const fail = (detail: string): never => {
      throw new ImportError(l.file, l.line, detail);
    };
    if (l.observedAt !== undefined) {
      const p = timeProblem(l.observedAt);
      if (p) fail(`observedAt: ${p}`);
    }
    const obj = l.object;
    if (!obj) continue;
    const meta = obj.value.metadata;
    if (meta.namespace) {
      const p = namespaceProblem(meta.namespace);
      if (p) fail(`metadata.namespace: ${p}`);
    }
    if (obj.kind === "Pod") {
      const p = podNameProblem(meta.name);
      if (p) fail(`metadata.name: ${p}`);
    }
    if ("creationTimestamp" in meta) {
      const p = stampProblem("metadata.creationTimestamp", meta.creationTimestamp);
      if (p) fail(p);
    }
    if ("deletionTimestamp" in meta) {
      const p = stampProblem("metadata.deletionTimestamp", meta.deletionTimestamp);
      if (p) fail(p);
    }
  }
}

/** Why observation number `index` (from 0) may not be imported, or undefined. */
export function importedEventProblem(e: LifecycleEvent, index: number): string | undefined {
  const p = eventProblem(e);
  return p ? `observation ${index + 1} (${e.type}${"pod" in e && e.pod ? ` of pod ${e.pod}` : ""}) is invalid: ${p}` : undefined;
}

/** The net under the line checks: every observation an import would store, by the shared rules. */
export function checkImportedEvents(file: string, events: readonly LifecycleEvent[]): void {
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!e) continue;
    const p = importedEventProblem(e, i);
    if (p) throw new ImportError(file, 0, p);
  }
}
