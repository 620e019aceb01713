/**
 * A check-only twin of `PodSchema` for the hot paths (watcher, ingest): it answers "would zod accept
 * this?" without building zod's stripped copy, which is most of zod's cost and garbage. It must never
 * say yes where zod says no (it mirrors every field of the schema, types and finiteness included); it
 * may say no where zod says yes (then zod runs as before), so zod stays the only source of errors and
 * their messages. Kept next to objects.ts: a change to `PodSchema` needs the same change here
 * (pod-check.test.ts compares both on the fixtures and on invalid variants).
 *
 * What the caller gets is the input object itself, with the fields the schema does not know still on it.
 * Nothing that reads a Pod iterates its keys except the label/annotation records, and for those the
 * only difference zod makes is to drop an own `__proto__` key: such a record is left to zod.
 */
import type { Pod } from "./objects";

type Rec = Record<string, unknown>;

const isObj = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const optObj = (v: unknown): v is Rec | null | undefined => v === undefined || v === null || isObj(v);
const optStr = (v: unknown): boolean => v === undefined || v === null || typeof v === "string";
const num = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
const optNum = (v: unknown): boolean => v === undefined || v === null || num(v);
const optBool = (v: unknown): boolean => v === undefined || v === null || typeof v === "boolean";

function optArr(v: unknown, each: (x: unknown) => boolean): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!each(v[i])) return false;
  return true;
}

function optStrRecord(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isObj(v) || Object.hasOwn(v, "__proto__")) return false;
  for (const k in v) if (typeof v[k] !== "string") return false;
  return true;
}

function ownerRef(v: unknown): boolean {
  return isObj(v) && typeof v.kind === "string" && typeof v.name === "string" && optStr(v.uid) && optBool(v.controller);
}

function meta(m: unknown): boolean {
  return (
    isObj(m) &&
    typeof m.name === "string" &&
    typeof m.uid === "string" &&
    optStr(m.namespace) &&
    optStr(m.resourceVersion) &&
    optStr(m.creationTimestamp) &&
    optStr(m.deletionTimestamp) &&
    optNum(m.deletionGracePeriodSeconds) &&
    optStrRecord(m.labels) &&
    optStrRecord(m.annotations) &&
    optArr(m.ownerReferences, ownerRef)
  );
}

const isStr = (x: unknown): boolean => typeof x === "string";

function handler(h: unknown): boolean {
  if (h === undefined || h === null) return true;
  if (!isObj(h)) return false;
  const { exec, httpGet, tcpSocket, sleep } = h;
  if (!optObj(exec) || (exec && !optArr(exec.command, isStr))) return false;
  if (!optObj(httpGet) || (httpGet && !optStr(httpGet.path))) return false;
  if (!optObj(tcpSocket)) return false;
  return optObj(sleep) && (!sleep || num(sleep.seconds));
}

function port(p: unknown): boolean {
  return isObj(p) && num(p.containerPort) && optStr(p.name) && optStr(p.protocol);
}

function container(c: unknown): boolean {
  if (!isObj(c) || typeof c.name !== "string" || !optArr(c.ports, port)) return false;
  const lc = c.lifecycle;
  if (!optObj(lc) || (lc && !handler(lc.preStop))) return false;
  return optObj(c.readinessProbe) && optObj(c.livenessProbe) && optObj(c.startupProbe);
}

function containerState(s: unknown): boolean {
  if (s === undefined || s === null) return true;
  if (!isObj(s)) return false;
  const { running, waiting, terminated: t } = s;
  if (!optObj(running) || (running && !optStr(running.startedAt))) return false;
  if (!optObj(waiting) || (waiting && !optStr(waiting.reason))) return false;
  if (!optObj(t)) return false;
  return !t || (num(t.exitCode) && optStr(t.reason) && optStr(t.message) && optStr(t.startedAt) && optStr(t.finishedAt) && optStr(t.containerID));
}

function containerStatus(s: unknown): boolean {
  return isObj(s) && typeof s.name === "string" && optBool(s.ready) && optNum(s.restartCount) && containerState(s.state) && containerState(s.lastState) && optStr(s.containerID);
}

function condition(c: unknown): boolean {
  return isObj(c) && typeof c.type === "string" && typeof c.status === "string" && optStr(c.reason) && optStr(c.message) && optStr(c.lastTransitionTime);
}

const gate = (g: unknown): boolean => isObj(g) && typeof g.conditionType === "string";
const podIP = (p: unknown): boolean => isObj(p) && typeof p.ip === "string";

/** True only when `PodSchema.safeParse(raw)` would succeed. */
export function isCheckedPod(raw: unknown): raw is Pod {
  if (!isObj(raw) || raw.kind !== "Pod" || !meta(raw.metadata)) return false;
  const spec = raw.spec;
  if (!optObj(spec)) return false;
  if (spec) {
    const containers = spec.containers;
    if (!Array.isArray(containers) || !optArr(containers, container)) return false;
    if (!optStr(spec.nodeName) || !optNum(spec.terminationGracePeriodSeconds) || !optArr(spec.readinessGates, gate)) return false;
  }
  const st = raw.status;
  if (!optObj(st)) return false;
  return (
    !st ||
    (optStr(st.phase) && optStr(st.podIP) && optStr(st.hostIP) && optArr(st.podIPs, podIP) && optArr(st.conditions, condition) && optArr(st.containerStatuses, containerStatus))
  );
}
