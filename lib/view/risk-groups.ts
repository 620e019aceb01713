/**
 * The risk list at scale: a 1,000-pod rollout yields 1,000 windows of one rule with one cause and one fix,
 * which drown the answer. Windows alike in rule, severity, confidence, namespace, service and fix collapse
 * into one group ("1,000 pods · 2.32 s each · same cause") once there are at least `min` of them; fewer
 * stay listed one by one.
 */
import type { DurationMs } from "../model/time";

export interface Groupable {
  readonly id: string;
  readonly rule: string;
  readonly severity: string;
  readonly confidence: string;
  readonly namespace: string;
  readonly service: string | null;
  readonly fix: string | null;
  readonly startMs: number;
  readonly endMs?: number;
}

export interface RiskGroup<W extends Groupable> {
  readonly kind: "group";
  readonly key: string;
  readonly windows: readonly W[];
  /** Shortest and longest closed duration, undefined when every window is still open. */
  readonly durations?: { readonly min: DurationMs; readonly max: DurationMs };
  /** How many are still open. */
  readonly open: number;
}

export type RiskListEntry<W extends Groupable> = { readonly kind: "window"; readonly window: W } | RiskGroup<W>;

export const GROUP_MIN = 10;

const keyOf = (w: Groupable) => JSON.stringify([w.rule, w.severity, w.confidence, w.namespace, w.service, w.fix]);

/** Entries in the order of `ws` (a group stands where its first window was). */
export function groupRisks<W extends Groupable>(ws: readonly W[], min = GROUP_MIN): RiskListEntry<W>[] {
  const byKey = new Map<string, W[]>();
  for (const w of ws) {
    const k = keyOf(w);
    const list = byKey.get(k);
    if (list) list.push(w);
    else byKey.set(k, [w]);
  }
  const out: RiskListEntry<W>[] = [];
  const emitted = new Set<string>();
  for (const w of ws) {
    const k = keyOf(w);
    const list = byKey.get(k) ?? [w];
    if (list.length < min) {
      out.push({ kind: "window", window: w });
      continue;
    }
    if (emitted.has(k)) continue;
    emitted.add(k);
    const closed = list.filter((x) => x.endMs !== undefined).map((x) => (x.endMs ?? x.startMs) - x.startMs);
    out.push({
      kind: "group",
      key: k,
      windows: list,
      ...(closed.length > 0 ? { durations: { min: Math.min(...closed), max: Math.max(...closed) } } : {}),
      open: list.length - closed.length,
    });
  }
  return out;
}
