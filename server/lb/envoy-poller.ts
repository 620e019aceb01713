/**
 * Polls an Envoy admin endpoint (`/clusters?format=json`) every few seconds and turns the differences
 * between polls into LB member changes (design §6.4). Envoy gives state, not transition times: a change
 * is stamped with the poll that saw it, so the interval is part of the uncertainty (kept in `range`).
 */
import { diffMembers, parseEnvoyClusters, type MemberSnapshot } from "../../lib/lb/members";
import type { LbMemberChanged } from "../../lib/model/events";
import { rangeTime } from "../../lib/model/time";

export interface EnvoyPollerOptions {
  readonly url: string;
  readonly cluster: string;
  readonly namespace?: string;
  readonly intervalMs?: number;
  readonly now: () => number;
  readonly fetchJson?: (url: string, signal: AbortSignal) => Promise<unknown>;
  readonly sink: (events: LbMemberChanged[]) => void;
  readonly onError?: (message: string) => void;
}

export interface Poller {
  pollOnce(): Promise<void>;
  stop(): void;
}

const defaultFetch = async (url: string, signal: AbortSignal): Promise<unknown> => {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const text = await res.text();
  if (text.length > 32 * 1024 * 1024) throw new Error("answer larger than 32 MiB");
  return JSON.parse(text);
};

export function startEnvoyPoller(o: EnvoyPollerOptions): Poller {
  const intervalMs = o.intervalMs ?? 2000;
  const fetchJson = o.fetchJson ?? defaultFetch;
  const target = `${o.url.replace(/\/+$/, "")}/clusters?format=json`;
  let previous = new Map<string, MemberSnapshot>();
  let lastPollAt: number | undefined;
  let seq = 0;
  let running = false;
  const pollOnce = async () => {
    if (running) return;
    running = true;
    try {
      const answer = await fetchJson(target, AbortSignal.timeout(Math.max(1000, intervalMs)));
      const members = parseEnvoyClusters(answer);
      if (!Array.isArray(members)) throw new Error(members.error);
      const at = o.now();
      const { changes, next } = diffMembers(previous, members);
      previous = next;
      // The change happened after the previous poll and by this one.
      const t = rangeTime(lastPollAt ?? at, at, "watcher", lastPollAt === undefined ? "exact" : "estimated", at);
      lastPollAt = at;
      if (changes.length === 0) return;
      o.sink(
        changes.map((c) => ({
          id: `lb:${c.source}:${c.lb}:${c.member}:${at}:${c.state}:${c.connections ?? ""}`,
          cluster: o.cluster,
          namespace: o.namespace ?? "",
          source: c.source,
          ...t,
          observedAt: at,
          seq: seq++,
          type: "lb-member-changed",
          lbSource: c.source,
          lb: c.lb,
          member: c.member,
          state: c.state,
          ...(c.weight !== undefined ? { weight: c.weight } : {}),
          ...(c.connections !== undefined ? { connections: c.connections } : {}),
          ...(c.service ? { service: c.service } : {}),
        })),
      );
    } catch (e) {
      o.onError?.(`envoy poll ${target}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pollOnce(), intervalMs);
  timer.unref();
  void pollOnce();
  return { pollOnce, stop: () => clearInterval(timer) };
}
