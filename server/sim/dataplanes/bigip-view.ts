/**
 * A simulated LB's targets rendered as a BIG-IP pool in iControl REST's shapes (`…/members` and
 * `…/members/stats`), so the real BIG-IP poller (server/lb/bigip-source.ts) can read the simulator:
 * active → `state: up`, draining (deregistration delay) → `session: user-disabled` (BIG-IP's "disabled":
 * existing connections only), unhealthy or not yet checked → `state: down`. Deregistered targets are
 * deleted from the pool, as CIS deletes pool members.
 */
export interface BigipViewTarget {
  readonly address: string;
  readonly port: number;
  readonly state: "initial" | "active" | "unhealthy" | "draining";
  readonly connections: number;
}

export interface BigipViewPool {
  readonly partition: string;
  readonly name: string;
}

const VER = "16.1.3";
const memberName = (t: BigipViewTarget) => (t.address.includes(":") ? `${t.address}.${t.port}` : `${t.address}:${t.port}`);
const poolLink = (p: BigipViewPool) => `https://localhost/mgmt/tm/ltm/pool/~${p.partition}~${p.name}`;

export function bigipMembersView(p: BigipViewPool, targets: readonly BigipViewTarget[]): object {
  return {
    kind: "tm:ltm:pool:members:memberscollectionstate",
    selfLink: `${poolLink(p)}/members?ver=${VER}`,
    items: targets.map((t) => ({
      kind: "tm:ltm:pool:members:membersstate",
      name: memberName(t),
      partition: p.partition,
      fullPath: `/${p.partition}/${memberName(t)}`,
      selfLink: `${poolLink(p)}/members/~${p.partition}~${memberName(t)}?ver=${VER}`,
      address: t.address,
      connectionLimit: 0,
      ratio: 1,
      monitor: "default",
      session: t.state === "draining" ? "user-disabled" : "monitor-enabled",
      state: t.state === "active" || t.state === "draining" ? "up" : "down",
    })),
  };
}

export function bigipStatsView(p: BigipViewPool, targets: readonly BigipViewTarget[]): object {
  const entries: Record<string, object> = {};
  for (const t of targets) {
    const link = `${poolLink(p)}/members/~${p.partition}~${memberName(t)}/stats`;
    const available = t.state === "active" || t.state === "draining";
    entries[link] = {
      nestedStats: {
        kind: "tm:ltm:pool:members:membersstats",
        selfLink: `${link}?ver=${VER}`,
        entries: {
          addr: { description: t.address },
          port: { value: t.port },
          nodeName: { description: `/${p.partition}/${t.address}` },
          poolName: { description: `/${p.partition}/${p.name}` },
          "serverside.curConns": { value: t.connections },
          curSessions: { value: t.connections },
          "status.availabilityState": { description: available ? "available" : "offline" },
          "status.enabledState": { description: t.state === "draining" ? "disabled" : "enabled" },
          "status.statusReason": { description: available ? "Pool member is available" : "Pool member has been marked down by a monitor" },
        },
      },
    };
  }
  return { kind: "tm:ltm:pool:members:memberscollectionstats", selfLink: `${poolLink(p)}/members/stats?ver=${VER}`, entries };
}
