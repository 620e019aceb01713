"use client";
/** A pod's detail: key times with their precision, its risk windows and lint, the raw events. All as React text. */
import { useQuery } from "@tanstack/react-query";
import { podQuery } from "@/components/common/api";
import { SeverityBadge } from "@/components/common/badges";
import type { PodLane } from "@/lib/engine/types";
import type { TimeEstimate } from "@/lib/model/time";
import { describePrecision, formatClock, formatDuration, zoneLabel } from "@/lib/view/format";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import { windowDurationText, windowsOfPod } from "@/lib/view/window-text";
import type { EpochMs } from "@/lib/model/time";
import { useTimeAxis } from "./time-axis-context";

function KeyTime({ label, t, extra }: { label: string; t: TimeEstimate | undefined; extra?: string }) {
  const axis = useTimeAxis();
  if (!t) return null;
  return (
    <tr className="border-b border-line align-top">
      <th scope="row" className="py-1 pr-2 text-left font-medium">
        {label}
      </th>
      <td className="py-1 font-mono">{axis.stamp(t.at)}</td>
      <td className="py-1 pl-2 text-fg-muted">
        {describePrecision(t.precision, t.range)} · {t.clock} clock{extra ? ` · ${extra}` : ""}
      </td>
    </tr>
  );
}

/** The drawer's windows: one row shape for the page's windows and the pod API's fallback. */
interface DrawerWindow {
  readonly id: string;
  readonly rule: string;
  readonly severity: ViewRiskWindow["severity"];
  readonly startMs: EpochMs;
  readonly endMs?: EpochMs;
  readonly confidence: string;
  readonly explanation: string;
  readonly fix: string | null;
}

interface Props {
  readonly uid: string;
  readonly cluster?: string;
  /** The pod's lane in the page's timeline document, when the page draws it. */
  readonly lane?: PodLane;
  /**
   * The page's risk windows (the same engine result the list and bands draw). When the page draws the pod
   * the drawer shows these, never the pod API's own recompute, so drawer and list cannot disagree.
   */
  readonly windows?: readonly ViewRiskWindow[];
  readonly now: EpochMs;
  readonly live: boolean;
  readonly onClose: () => void;
}

export function PodDrawer({ uid, cluster, lane, windows, now, live, onClose }: Props) {
  const q = useQuery(podQuery(uid, cluster));
  const { zone } = useTimeAxis();
  // The page's lane first: the pod API computes over the pod's own span, the page over the view's.
  const l = lane ?? q.data?.lane;
  const fromPage = lane !== undefined && windows !== undefined;
  const shown: DrawerWindow[] | undefined = fromPage
    ? windowsOfPod(windows, uid)
    : q.data?.riskWindows.map((w) => ({ id: w.id, rule: w.rule, severity: w.severity, startMs: w.start, ...(w.end !== undefined ? { endMs: w.end } : {}), confidence: w.confidence, explanation: w.explanation, fix: w.fix ?? null }));
  const k = l?.keyTimes;
  return (
    <aside role="dialog" aria-label={`Pod ${l?.name ?? uid}`} data-testid="pod-drawer" className="absolute inset-y-0 right-0 z-30 flex w-[min(560px,100%)] flex-col border-l border-line bg-surface shadow-2xl">
      <div className="flex items-start gap-2 border-b border-line px-4 py-3">
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-mono text-sm font-semibold" title={l?.name ?? uid}>
            {l?.name ?? uid}
          </h2>
          {/* Wraps instead of cutting: node and grace are what an SRE looks for here. */}
          <p className="break-words text-xs text-fg-muted" data-testid="pod-subtitle">
            {l ? `${l.namespace} · ${l.workloadKind} ${l.workload} · rev ${l.revision ?? "?"} · node ${l.node ?? "?"} · grace ${k?.graceSeconds ?? "?"} s` : "loading…"}
          </p>
        </div>
        <button type="button" onClick={onClose} className="rounded border border-line px-2 py-0.5 text-sm hover:bg-surface-sunken" aria-label="Close pod details">
          ✕
        </button>
      </div>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-4 py-3 text-xs">
        {k ? (
          <section>
            <h3 className="mb-1 text-sm font-semibold">Key times</h3>
            <table className="w-full">
              <tbody>
                <KeyTime label="created" t={k.created} />
                <KeyTime label="first ready" t={k.firstReady} />
                <KeyTime label="delete requested" t={k.deleteRequested} extra={k.deleteRequested ? `grace ${k.deleteRequested.graceSeconds} s${k.deleteRequested.force ? ", force" : ""}` : undefined} />
                <KeyTime label="Killing" t={k.killing} extra={k.killing?.inferred ? "inferred" : undefined} />
                <KeyTime label="SIGTERM" t={k.sigterm} extra={k.sigterm ? `basis ${k.sigterm.basis}` : undefined} />
                <KeyTime label="exit" t={k.exited} extra={k.exited ? `code ${k.exited.exitCode} ${k.exited.reason}${k.killedBySigkill ? " (SIGKILL)" : ""}` : undefined} />
                <KeyTime label="removed" t={k.removed} extra={k.removed ? `via ${k.removed.via}` : undefined} />
              </tbody>
            </table>
            {k.deleteRequested && k.removed ? <p className="mt-1 text-fg-muted">delete → removal: {formatDuration(k.removed.at - k.deleteRequested.at)}</p> : null}
          </section>
        ) : null}
        {q.isError ? <p className="text-risk-critical">Could not load the pod: {q.error.message}</p> : null}
        {shown && shown.length > 0 ? (
          <section>
            <h3 className="mb-1 text-sm font-semibold">Risk windows</h3>
            <ul className="space-y-2" data-testid="pod-risks">
              {shown.map((w) => (
                <li key={w.id} className="rounded border border-line p-2" data-testid="pod-risk" data-rule={w.rule}>
                  <div className="flex items-center gap-2">
                    <SeverityBadge severity={w.severity} /> <span className="font-mono font-semibold">{w.rule}</span>
                    <span className="text-fg-muted" data-testid="pod-risk-duration">{windowDurationText(w, now, live)}</span>
                    <span className="text-fg-muted">{w.confidence}</span>
                  </div>
                  <p className="mt-1">{w.explanation}</p>
                  {w.fix ? <p className="mt-1"><span className="font-semibold">Fix: </span>{w.fix}</p> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {q.data && q.data.lint.length > 0 ? (
          <section>
            <h3 className="mb-1 text-sm font-semibold">Config lint</h3>
            <ul className="space-y-1">
              {q.data.lint.map((f) => (
                <li key={f.id}>
                  <span className="font-semibold">{f.check}</span>: {f.message}
                  {f.fix ? <span className="text-fg-muted"> — {f.fix}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {q.data ? (
          <section>
            <h3 className="mb-1 text-sm font-semibold">Events ({q.data.events.length})</h3>
            <table className="w-full" data-testid="pod-events">
              <thead className="text-left text-fg-muted">
                <tr>
                  <th className="pr-2 font-medium">time ({zoneLabel(now, zone)})</th>
                  <th className="pr-2 font-medium">type</th>
                  <th className="pr-2 font-medium">source</th>
                  <th className="font-medium">precision</th>
                </tr>
              </thead>
              <tbody>
                {[...q.data.events]
                  .sort((a, b) => a.at - b.at)
                  .map((e) => (
                    <tr key={e.id} className="border-t border-line align-top">
                      <td className="whitespace-nowrap pr-2 font-mono">{formatClock(e.at, true, zone)}</td>
                      <td className="pr-2">{e.type === "k8s-event" ? `event ${e.reason}` : e.type}</td>
                      <td className="pr-2 text-fg-muted">{e.source}</td>
                      <td className="text-fg-muted">{e.precision}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <details className="mt-2">
              <summary className="cursor-pointer text-fg-muted">Raw events (JSON)</summary>
              <pre className="mt-1 max-h-96 overflow-auto rounded bg-surface-sunken p-2 font-mono text-[11px]">{JSON.stringify(q.data.events, null, 2)}</pre>
            </details>
          </section>
        ) : null}
        {l ? (
          <details>
            <summary className="cursor-pointer text-fg-muted">Raw lane (JSON)</summary>
            <pre className="mt-1 max-h-96 overflow-auto rounded bg-surface-sunken p-2 font-mono text-[11px]">{JSON.stringify(l, null, 2)}</pre>
          </details>
        ) : null}
      </div>
    </aside>
  );
}
