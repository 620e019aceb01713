/**
 * Leader election on a Lease, the way client-go's leaderelection does it: the holder renews every
 * `renewEveryMs`; the others take the Lease over once its record has not changed for its duration, as
 * seen on their own clock (never trusting the holder's clock); a holder that cannot renew within
 * two thirds of the duration stops leading before anyone else may start, so two replicas never watch
 * the same cluster for long (and if they briefly do, the store's idempotent appends absorb it).
 * A graceful stop releases the Lease (empty holder) so a successor starts at once.
 */
import type { LeaseApi, LeaseSpec, LeaseState } from "./lease-client";
import { microTime } from "./lease-client";

export interface PreviousHolder {
  /** Empty when the previous holder released the Lease on its way out. */
  readonly holder: string;
  /** The last renewal the previous holder wrote (its clock), epoch ms: from here nobody was watching. */
  readonly lastRenewAt?: number;
}

export interface ElectionOptions {
  readonly api: LeaseApi;
  readonly identity: string;
  readonly durationMs: number;
  readonly renewEveryMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
  /** `previous` is undefined when the Lease is new (nobody ever watched under it). */
  readonly onStartedLeading: (previous: PreviousHolder | undefined) => void;
  readonly onStoppedLeading: (reason: string) => void | Promise<void>;
  readonly log: (line: string) => void;
}

export interface Election {
  isLeader(): boolean;
  /** Resolves when the loop has ended (after `signal` aborts), the Lease released if we held it. */
  readonly done: Promise<void>;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

export function startLeaderElection(o: ElectionOptions): Election {
  let leading = false;
  let lastRenewAt = 0;
  let observed: LeaseState | undefined;
  let observedAt = 0;
  let lastError = "";
  const renewDeadlineMs = Math.floor((o.durationMs * 2) / 3);
  const seconds = Math.max(1, Math.round(o.durationMs / 1000));

  const stepDown = async (reason: string) => {
    if (!leading) return;
    leading = false;
    o.log(`leader election: ${o.identity} stopped leading: ${reason}`);
    await o.onStoppedLeading(reason);
  };

  const round = async () => {
    const now = o.now();
    const current = await o.api.get(o.signal);
    if (!current) {
      const created = await o.api.create({ holderIdentity: o.identity, leaseDurationSeconds: seconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 }, o.signal);
      if (created === "conflict") return;
      observed = created;
      observedAt = now;
      lastRenewAt = now;
      leading = true;
      o.log(`leader election: ${o.identity} created the lease and leads`);
      o.onStartedLeading(undefined);
      return;
    }
    if (observed?.resourceVersion !== current.resourceVersion) {
      observed = current;
      observedAt = now;
    }
    const holder = current.spec.holderIdentity ?? "";
    const mine = holder === o.identity;
    const durationMs = (current.spec.leaseDurationSeconds ?? seconds) * 1000;
    const expired = holder === "" || now >= observedAt + durationMs;
    if (!mine && !expired) {
      await stepDown(`${holder} holds the lease`);
      return;
    }
    const spec: LeaseSpec =
      mine && leading
        ? { holderIdentity: o.identity, leaseDurationSeconds: seconds, ...(current.spec.acquireTime ? { acquireTime: current.spec.acquireTime } : {}), renewTime: microTime(now), leaseTransitions: current.spec.leaseTransitions ?? 0 }
        : { holderIdentity: o.identity, leaseDurationSeconds: seconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: (current.spec.leaseTransitions ?? 0) + (mine ? 0 : 1) };
    const updated = await o.api.update(spec, current.resourceVersion, o.signal);
    if (updated === "conflict") return; // someone else wrote first: look again next round
    observed = updated;
    observedAt = now;
    lastRenewAt = now;
    if (!leading) {
      leading = true;
      const previousRenew = parseTime(current.spec.renewTime);
      o.log(`leader election: ${o.identity} took the lease over from ${holder || "a released holder"}`);
      o.onStartedLeading({ holder, ...(previousRenew !== undefined ? { lastRenewAt: previousRenew } : {}) });
    }
  };

  const release = async () => {
    const signal = AbortSignal.timeout(2000);
    try {
      const current = await o.api.get(signal);
      if (!current || current.spec.holderIdentity !== o.identity) return;
      const now = o.now();
      await o.api.update({ holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime(now), leaseTransitions: current.spec.leaseTransitions ?? 0 }, current.resourceVersion, signal);
    } catch (e) {
      o.log(`leader election: could not release the lease: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const done = (async () => {
    while (!o.signal.aborted) {
      try {
        await round();
        lastError = "";
      } catch (e) {
        if (o.signal.aborted) break;
        const message = e instanceof Error ? e.message : String(e);
        if (message !== lastError) o.log(`leader election: lease request failed: ${message}`);
        lastError = message;
      }
      if (leading && o.now() - lastRenewAt > renewDeadlineMs) await stepDown(`could not renew the lease for ${Math.round((o.now() - lastRenewAt) / 1000)} s`);
      await o.sleep(o.renewEveryMs, o.signal).catch(() => undefined);
    }
    if (leading) {
      await stepDown("stopping");
      await release();
    }
  })();

  return { isLeader: () => leading, done };
}
