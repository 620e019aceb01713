/**
 * HAProxy Runtime API answers → members. `show servers state` (format version 1: a version line, a
 * `# be_id be_name …` header naming the columns, one line per server) gives the administrative and
 * operational state and the weights; `show stat` (CSV with a `# pxname,svname,…` header) adds current
 * sessions. Columns are looked up by header name, so a newer HAProxy that appends columns still parses.
 *
 * State: any maintenance bit (`disable server`, `set server … state maint`, config `disabled`, DNS
 * resolution or hostname maintenance) → `removed` (out of rotation, maybe still holding sessions);
 * forced or inherited drain (`set server … state drain`), or user weight 0 → `draining`; operationally
 * stopped (health checks failing) → `unhealthy`; soft-stopping → `draining`; otherwise `active`.
 */
import type { MemberSnapshot } from "./members";

/** srv_admin_state bits (HAProxy's SRV_ADMF_*). */
const ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40; // FMAINT IMAINT CMAINT RMAINT HMAINT
const ADMIN_DRAIN = 0x08 | 0x10; // FDRAIN IDRAIN
/** srv_op_state values (SRV_ST_*). */
const OP_STOPPED = 0;
const OP_STOPPING = 3;

export interface HaproxyServer {
  readonly backend: string;
  readonly server: string;
  readonly address: string;
  readonly port: number;
  readonly opState: number;
  readonly adminState: number;
  readonly userWeight: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function columns(header: string, sep: RegExp): Map<string, number> {
  return new Map(
    header
      .replace(/^#\s*/, "")
      .split(sep)
      .map((name, i) => [name.trim(), i] as const),
  );
}

/** Parse `show servers state [backend]`. */
export function parseServersState(text: string): Parsed<HaproxyServer[]> {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== "1") return { ok: false, error: `show servers state: expected format version 1, got "${(lines[0] ?? "").slice(0, 60)}"` };
  const header = lines[1];
  if (!header?.startsWith("#")) return { ok: false, error: "show servers state: no column header" };
  const col = columns(header, /\s+/);
  const need = ["be_name", "srv_name", "srv_addr", "srv_op_state", "srv_admin_state", "srv_uweight", "srv_port"];
  const missing = need.filter((n) => !col.has(n));
  if (missing.length) return { ok: false, error: `show servers state: missing column(s) ${missing.join(", ")}` };
  const at = (f: string[], name: string) => f[col.get(name) ?? -1] ?? "";
  const out: HaproxyServer[] = [];
  for (const line of lines.slice(2)) {
    if (line.startsWith("#")) continue;
    const f = line.split(/\s+/);
    const port = Number(at(f, "srv_port"));
    const opState = Number(at(f, "srv_op_state"));
    const adminState = Number(at(f, "srv_admin_state"));
    const userWeight = Number(at(f, "srv_uweight"));
    if (![port, opState, adminState, userWeight].every(Number.isFinite)) return { ok: false, error: `show servers state: bad line "${line.slice(0, 120)}"` };
    out.push({ backend: at(f, "be_name"), server: at(f, "srv_name"), address: at(f, "srv_addr"), port, opState, adminState, userWeight });
  }
  return { ok: true, value: out };
}

/** Parse `show stat` CSV into current sessions per "backend/server" (server rows only). */
export function parseShowStat(text: string): Parsed<Map<string, number>> {
  const lines = text.split("\n").filter((l) => l.trim());
  const header = lines[0];
  if (!header?.startsWith("# pxname,svname,")) return { ok: false, error: "show stat: not HAProxy's CSV (no # pxname,svname header)" };
  const col = columns(header, /,/);
  const scur = col.get("scur");
  if (scur === undefined) return { ok: false, error: "show stat: no scur column" };
  const out = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const f = line.split(",");
    const [px, sv] = f;
    if (!px || !sv || sv === "FRONTEND" || sv === "BACKEND") continue;
    const n = Number(f[scur]);
    if (Number.isFinite(n)) out.set(`${px}/${sv}`, n);
  }
  return { ok: true, value: out };
}

export function serverState(s: HaproxyServer): MemberSnapshot["state"] {
  if (s.adminState & ADMIN_MAINT) return "removed";
  if (s.adminState & ADMIN_DRAIN || s.userWeight === 0) return "draining";
  if (s.opState === OP_STOPPED) return "unhealthy";
  if (s.opState === OP_STOPPING) return "draining";
  return "active";
}

export interface HaproxyMemberOptions {
  /** Only these backends (default: all). */
  readonly backends?: readonly string[];
  /** LB name prefix, e.g. the source's name ("edge/"); default none: the backend name. */
  readonly lbPrefix?: string;
  readonly service?: string;
  readonly namespace?: string;
}

/** Servers (+ sessions) → members, one LB per backend; the weight is the one HAProxy uses (0 while draining). */
export function haproxyMembers(servers: readonly HaproxyServer[], sessions: ReadonlyMap<string, number>, o: HaproxyMemberOptions = {}): MemberSnapshot[] {
  const only = o.backends && o.backends.length ? new Set(o.backends) : undefined;
  return servers
    .filter((s) => !only || only.has(s.backend))
    .map((s) => {
      const state = serverState(s);
      const cx = sessions.get(`${s.backend}/${s.server}`);
      const host = s.address.includes(":") ? `[${s.address}]` : s.address;
      return {
        lb: `${o.lbPrefix ?? ""}${s.backend}`,
        source: "haproxy",
        member: `${host}:${s.port}`,
        state,
        weight: state === "draining" || state === "removed" ? 0 : s.userWeight,
        ...(cx !== undefined ? { connections: cx } : {}),
        ...(o.service ? { service: o.service } : {}),
        ...(o.namespace ? { namespace: o.namespace } : {}),
      };
    });
}
