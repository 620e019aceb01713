/**
 * IPVS tables (kube-proxy in ipvs mode, seed 004) → members. Two inputs, the same table:
 *
 * - `/proc/net/ip_vs`, as the kernel prints it (net/netfilter/ipvs/ip_vs_ctl.c): IPv4 addresses as 8 hex
 *   digits in host order of the network value (10.96.0.1 → 0A600001), ports as 4 hex digits, IPv6 in
 *   brackets with all eight groups, firewall-mark services as `FWM  <hex mark>`;
 * - `ipvsadm -Ln [--exact]`: the same columns with dotted addresses and decimal ports.
 *
 * A real server with weight > 0 is `active`; weight 0 is `draining` (kube-proxy's graceful termination
 * keeps it until ActiveConn + InActConn reach 0); connections = ActiveConn + InActConn. One LB per
 * virtual service: `ipvs/<vip:port>`, or `ipvs/<node>/<vip:port>` when the node is named (each node
 * has its own table).
 */
import type { MemberSnapshot } from "./members";

export interface IpvsRealServer {
  readonly address: string;
  readonly port: number;
  readonly forward: string;
  readonly weight: number;
  readonly activeConn: number;
  readonly inactConn: number;
}

export interface IpvsVirtualService {
  readonly protocol: string;
  /** "10.96.0.10:53", "[fd00::a]:443" or "fwmark:1". */
  readonly service: string;
  readonly scheduler: string;
  readonly realServers: readonly IpvsRealServer[];
}

export type IpvsParsed = { readonly ok: true; readonly services: IpvsVirtualService[] } | { readonly ok: false; readonly error: string };

function hexIpv4(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const n = parseInt(hex, 16);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** RFC 5952 text of an IPv6 address given as eight groups (the kernel's %pI6): longest zero run as "::". */
export function compressIpv6(full: string): string | undefined {
  const groups = full.split(":");
  if (groups.length !== 8 || !groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  const parts = groups.map((g) => parseInt(g, 16).toString(16));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (parts[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return parts.join(":");
  return `${parts.slice(0, best.at).join(":")}::${parts.slice(best.at + best.len).join(":")}`;
}

/** "0A600001:0050" → "10.96.0.1:80"; "[2001:0db8:…:0001]:01BB" → "[2001:db8::1]:443"; dotted forms pass through. */
function endpoint(text: string, hex: boolean): { address: string; port: number } | undefined {
  const v6 = /^\[([0-9A-Fa-f:]+)\]:([0-9A-Fa-f]+)$/.exec(text);
  if (v6?.[1] && v6[2]) {
    const address = hex ? compressIpv6(v6[1]) : v6[1];
    const port = parseInt(v6[2], hex ? 16 : 10);
    return address && Number.isFinite(port) ? { address, port } : undefined;
  }
  const v4 = /^([0-9A-Fa-f.]+):([0-9A-Fa-f]+)$/.exec(text);
  if (!v4?.[1] || !v4[2]) return undefined;
  const address = hex ? hexIpv4(v4[1]) : /^\d{1,3}(\.\d{1,3}){3}$/.test(v4[1]) ? v4[1] : undefined;
  const port = parseInt(v4[2], hex ? 16 : 10);
  return address && Number.isFinite(port) ? { address, port } : undefined;
}

const hostPort = (e: { address: string; port: number }) => (e.address.includes(":") ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);

/** Parse `/proc/net/ip_vs` (hex) or `ipvsadm -Ln` (dotted) output; the header says which. */
export function parseIpvsTable(text: string): IpvsParsed {
  const lines = text.split("\n").filter((l) => l.trim());
  if (!lines[0]?.startsWith("IP Virtual Server version")) return { ok: false, error: "not an IPVS table: the first line is not \"IP Virtual Server version …\"" };
  if (lines.some((l) => /^Prot LocalAddress:Port\s+Conns\s/.test(l))) return { ok: false, error: "this is `ipvsadm --stats` output, which has no weights: use /proc/net/ip_vs or `ipvsadm -Ln`" };
  // The kernel prints hex ("0A600001:0050"); ipvsadm prints dots. Decide from the first address seen.
  const firstAddr = lines.find((l) => /^(TCP|UDP|SCTP)\s/.test(l))?.split(/\s+/)[1] ?? "";
  const hex = /^[0-9A-Fa-f]{8}:[0-9A-Fa-f]{4}$/.test(firstAddr) || /^\[[0-9A-Fa-f]{4}(:[0-9A-Fa-f]{4}){7}\]:[0-9A-Fa-f]{4}$/.test(firstAddr);
  const services: { protocol: string; service: string; scheduler: string; realServers: IpvsRealServer[] }[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith("Prot ") || line.trimStart().startsWith("-> RemoteAddress")) continue;
    const f = line.trim().split(/\s+/);
    if (f[0] === "->") {
      const current = services.at(-1);
      const ep = endpoint(f[1] ?? "", hex);
      const [weight, active, inact] = [Number(f[3]), Number(f[4]), Number(f[5])];
      if (!current || !ep || ![weight, active, inact].every(Number.isFinite)) return { ok: false, error: `bad real-server line "${line.trim().slice(0, 100)}"` };
      current.realServers.push({ ...ep, forward: f[2] ?? "", weight, activeConn: active, inactConn: inact });
      continue;
    }
    if (f[0] === "FWM") {
      const mark = hex ? parseInt(f[1] ?? "", 16) : Number(f[1]);
      if (!Number.isFinite(mark)) return { ok: false, error: `bad firewall-mark line "${line.slice(0, 100)}"` };
      services.push({ protocol: "FWM", service: `fwmark:${mark}`, scheduler: f[2] ?? "", realServers: [] });
      continue;
    }
    const ep = endpoint(f[1] ?? "", hex);
    if (!f[0] || !/^(TCP|UDP|SCTP)$/.test(f[0]) || !ep) return { ok: false, error: `bad virtual-service line "${line.slice(0, 100)}"` };
    services.push({ protocol: f[0], service: hostPort(ep), scheduler: f[2] ?? "", realServers: [] });
  }
  return { ok: true, services };
}

export function ipvsMembers(services: readonly IpvsVirtualService[], o: { node?: string } = {}): MemberSnapshot[] {
  return services.flatMap((vs) =>
    vs.realServers.map((rs) => ({
      lb: o.node ? `ipvs/${o.node}/${vs.service}` : `ipvs/${vs.service}`,
      source: "ipvs",
      member: hostPort(rs),
      state: rs.weight > 0 ? ("active" as const) : ("draining" as const),
      weight: rs.weight,
      connections: rs.activeConn + rs.inactConn,
    })),
  );
}
