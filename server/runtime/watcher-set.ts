/**
 * The runtime's cluster watchers, with or without leader election. Without it (the default, and always
 * for the simulated cluster) every target is watched at once. With it (DRAINSCOPE_LEADER_ELECTION=lease,
 * several replicas on one PostgreSQL) each target is watched only while this replica holds the target's
 * Lease; on taking a Lease over from another holder, the time between that holder's last renewal and the
 * moment this replica's watcher has listed every resource is recorded as one watcher gap, so the
 * timeline shows the hand-over as unobserved rather than as a quiet stretch.
 */
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { exactTime } from "../../lib/model/time";
import type { ClusterWatcher } from "../watcher/cluster-watcher";
import type { ClusterHealth } from "../watcher/health";
import type { ClusterTarget } from "../watcher/kubeconfig";
import type { LoopEffects } from "../watcher/list-watch";
import type { LeaderConfig } from "./leader-config";
import { startLeaderElection, type Election, type PreviousHolder } from "./leader-elector";
import { createLeaseApi } from "./lease-client";

export interface WatcherSet {
  clusters(): readonly ClusterHealth[];
  /** Gaps still open: the running watchers', and a leader hand-over's until the new watcher has listed everything. */
  openGaps(): WatcherGap[];
  /** Per cluster: does this replica lead it? undefined without leader election. */
  leaders(): ReadonlyMap<string, boolean> | undefined;
  stop(): Promise<void>;
}

export interface WatcherSetOptions {
  readonly targets: readonly ClusterTarget[];
  readonly clusterName: (t: ClusterTarget) => string;
  readonly start: (t: ClusterTarget) => ClusterWatcher;
  readonly leader?: LeaderConfig;
  readonly effects: LoopEffects;
  readonly sink: (events: LifecycleEvent[]) => void;
  readonly log: (line: string) => void;
}

const SYNC_POLL_MS = 100;

export function handoverGap(cluster: string, previous: PreviousHolder, identity: string, from: number, to: number): WatcherGap {
  return {
    id: `gap:leader-handover:${cluster}:${from}`,
    cluster,
    namespace: "",
    source: "watcher",
    ...exactTime(from, "watcher"),
    range: [from, Math.max(from, to)],
    seq: 0,
    type: "watcher-gap",
    resource: "the cluster",
    from,
    to: Math.max(from, to),
    reason: `leader handover: ${previous.holder ? `${previous.holder} stopped renewing the watcher lease` : "the previous watcher released its lease"}; ${identity} took over`,
  };
}

export function startWatcherSet(o: WatcherSetOptions): WatcherSet {
  const leader = o.leader;
  if (!leader?.enabled) {
    const all = o.targets.map((t) => o.start(t));
    return {
      clusters: () => all.map((w) => w.health),
      openGaps: () => all.flatMap((w) => w.openGaps()),
      leaders: () => undefined,
      async stop() {
        await Promise.allSettled(all.map((w) => w.stop()));
      },
    };
  }
  const controller = new AbortController();
  const running = new Map<string, ClusterWatcher>();
  const elections: Election[] = [];
  const handovers = new Map<string, WatcherGap>();
  const names = o.targets.map((t) => o.clusterName(t));

  /** Once every resource of the new watcher has been listed, the hand-over gap is closed and recorded. */
  const recordHandover = async (cluster: string, watcher: ClusterWatcher, previous: PreviousHolder, takenAt: number) => {
    const from = Math.min(previous.lastRenewAt ?? takenAt, takenAt);
    const { to: _open, ...open } = handoverGap(cluster, previous, leader.identity, from, takenAt);
    handovers.set(cluster, { ...open, range: [from, from] });
    while (!controller.signal.aborted && running.get(cluster) === watcher && watcher.health.resources.some((r) => r.lastEventAt === undefined)) {
      await o.effects.sleep(SYNC_POLL_MS, controller.signal).catch(() => undefined);
    }
    const synced = Math.max(takenAt, ...watcher.health.resources.map((r) => r.lastEventAt ?? takenAt));
    handovers.delete(cluster);
    o.sink([handoverGap(cluster, previous, leader.identity, from, synced)]);
  };

  o.targets.forEach((t, i) => {
    const cluster = names[i] ?? t.name;
    let api;
    try {
      api = createLeaseApi(t.transport, leader.namespace, leader.leaseName);
    } catch (e) {
      o.log(`leader election: ${cluster}: ${e instanceof Error ? e.message : String(e)}; watching without it`);
      running.set(cluster, o.start(t));
      return;
    }
    elections.push(
      startLeaderElection({
        api,
        identity: leader.identity,
        durationMs: leader.durationMs,
        renewEveryMs: leader.renewEveryMs,
        now: () => o.effects.now(),
        sleep: (ms, signal) => o.effects.sleep(ms, signal),
        signal: controller.signal,
        log: (line) => o.log(`${cluster}: ${line}`),
        onStartedLeading: (previous) => {
          const takenAt = o.effects.now();
          const watcher = o.start(t);
          running.set(cluster, watcher);
          if (previous) void recordHandover(cluster, watcher, previous, takenAt);
        },
        onStoppedLeading: async () => {
          const watcher = running.get(cluster);
          running.delete(cluster);
          await watcher?.stop();
        },
      }),
    );
  });

  return {
    clusters: () => [...running.values()].map((w) => w.health),
    openGaps: () => [...[...running.values()].flatMap((w) => w.openGaps()), ...handovers.values()],
    leaders: () => new Map(names.map((n) => [n, running.has(n)])),
    async stop() {
      controller.abort(new Error("runtime stopped"));
      await Promise.allSettled(elections.map((e) => e.done));
      await Promise.allSettled([...running.values()].map((w) => w.stop()));
      running.clear();
    },
  };
}
