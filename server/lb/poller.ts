/**
 * The I/O half of every polled LB source (design §6.4): read the source every `intervalMs`, hand the
 * members to the pure diff (lib/lb/poll-diff), emit the observations. One read at a time; a read that
 * fails keeps the last good snapshot, so the next good poll reports what changed across the outage with
 * the outage inside its range. The outage itself is recorded as a watcher gap on resource `lb:<name>`
 * once the source answers again (or when the poller stops), so windows overlapping it read `possible`;
 * until then `openGap()` describes it (to = undefined) for live views.
 * Time and waiting are injected: the simulator's tests poll on its virtual clock.
 */
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { applyPoll, initialPollState, type PollState } from "../../lib/lb/poll-diff";
import type { MemberSnapshot } from "../../lib/lb/members";
import { exactTime } from "../../lib/model/time";

/** A source of LB member state: one read = one complete snapshot of what it serves. */
export interface LbSource {
  readonly name: string;
  /** "envoy", "haproxy", "bigip", "ingress-nginx", … */
  readonly kind: string;
  read(signal: AbortSignal): Promise<MemberSnapshot[]>;
}

/** What /api/health and /metrics show per source. */
export interface LbSourceHealth {
  readonly name: string;
  readonly kind: string;
  polls: number;
  errors: number;
  members: number;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  lastError?: string;
  /** Set while the source does not answer: the last moment we were in sync. */
  failingSince?: number;
  gaps: number;
}

export interface LbPollerOptions {
  readonly source: LbSource;
  readonly cluster: string;
  readonly namespace?: string;
  readonly intervalMs: number;
  /** A read longer than this fails (default: the interval, at least 1 s). */
  readonly timeoutMs?: number;
  readonly now: () => number;
  /** Waits between polls; default setTimeout. Resolves early (or rejects) when the signal aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly sink: (events: LifecycleEvent[]) => void;
  readonly log?: (line: string) => void;
}

export interface LbPoller {
  readonly health: LbSourceHealth;
  /** The outage in progress, if the source is not answering now (not stored: it is recorded when it ends). */
  openGap(): WatcherGap | undefined;
  /** One poll now (tests); concurrent calls share the running one. */
  pollOnce(): Promise<void>;
  stop(): Promise<void>;
}

const realSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export function lbGap(o: { cluster: string; namespace?: string; name: string; from: number; to: number | undefined; reason: string }): WatcherGap {
  const to = o.to === undefined ? undefined : Math.max(o.from, o.to);
  return {
    id: `gap:lb:${o.name}:${o.from}`,
    cluster: o.cluster,
    namespace: o.namespace ?? "",
    source: "lb-poller",
    ...exactTime(o.from, "watcher"),
    range: [o.from, to ?? o.from],
    type: "watcher-gap",
    resource: `lb:${o.name}`,
    from: o.from,
    ...(to !== undefined ? { to } : {}),
    reason: o.reason,
  };
}

export function startLbPoller(o: LbPollerOptions, opts: { autoStart?: boolean } = {}): LbPoller {
  const startedAt = o.now();
  const health: LbSourceHealth = { name: o.source.name, kind: o.source.kind, polls: 0, errors: 0, members: 0, gaps: 0 };
  const controller = new AbortController();
  const sleep = o.sleep ?? realSleep;
  let state: PollState = initialPollState;
  let running: Promise<void> | undefined;
  const target = { cluster: o.cluster, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) };

  const gapReason = () => `LB source ${o.source.name} did not answer: ${health.lastError ?? "error"}`;
  const closeGap = (to: number, suffix = "") => {
    if (health.failingSince === undefined) return;
    health.gaps++;
    o.sink([lbGap({ ...target, name: o.source.name, from: health.failingSince, to, reason: `${gapReason()}${suffix}` })]);
    health.failingSince = undefined;
  };

  const poll = async () => {
    const timeout = AbortSignal.timeout(o.timeoutMs ?? Math.max(1000, o.intervalMs));
    try {
      const members = await o.source.read(AbortSignal.any([timeout, controller.signal]));
      if (controller.signal.aborted) return;
      const at = o.now();
      health.polls++;
      health.members = members.length;
      health.lastSuccessAt = at;
      closeGap(at);
      const r = applyPoll(state, members, at, target);
      state = r.state;
      if (r.events.length) o.sink(r.events);
    } catch (e) {
      if (controller.signal.aborted) return;
      const at = o.now();
      health.errors++;
      health.lastErrorAt = at;
      health.lastError = e instanceof Error ? (e.name === "TimeoutError" ? "timed out" : e.message) : String(e);
      if (health.failingSince === undefined) {
        health.failingSince = health.lastSuccessAt ?? startedAt;
        o.log?.(`LB source ${o.source.name} (${o.source.kind}): ${health.lastError}`);
      }
    }
  };

  const pollOnce = () => {
    running ??= poll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const loop = (async () => {
    if (opts.autoStart === false) return;
    while (!controller.signal.aborted) {
      await pollOnce();
      await sleep(o.intervalMs, controller.signal).catch(() => undefined);
    }
  })();

  return {
    health,
    openGap: () => (health.failingSince === undefined ? undefined : lbGap({ ...target, name: o.source.name, from: health.failingSince, to: undefined, reason: gapReason() })),
    pollOnce,
    async stop() {
      if (controller.signal.aborted) return;
      controller.abort();
      await loop;
      await running;
      closeGap(o.now(), " (poller stopped)");
    },
  };
}
