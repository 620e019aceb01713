/**
 * HAProxy's Runtime API over the simulator's LB member records: a TCP socket on 127.0.0.1 that answers
 * `show servers state` and `show stat` as HAProxy 2.6 does, one backend per simulated LB (named
 * `<namespace>.<lb>`, characters HAProxy refuses replaced by `_`), one server per member that has not
 * been removed (a removed member is deleted, as `del server` does). Active → running; draining → forced
 * drain (admin 0x08, weight kept); unhealthy → stopped. The real HAProxy poller reads it unchanged.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { MemberLog, MemberRecord } from "./member-log";

const SERVERS_STATE_HEADER =
  "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port";
const STAT_HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck";

export interface HaproxyRuntimeView {
  /** "127.0.0.1:PORT" for the poller's `address`. */
  readonly address: string;
  stop(): Promise<void>;
}

interface Row {
  readonly backend: string;
  readonly server: string;
  readonly ip: string;
  readonly port: number;
  readonly rec: MemberRecord;
}

const backendName = (r: MemberRecord) => `${r.object.metadata.namespace}.${r.object.spec.lb}`.replace(/[^A-Za-z0-9._:-]/g, "_");

function rows(members: MemberLog, include: (r: MemberRecord) => boolean): Row[][] {
  const byBackend = new Map<string, Row[]>();
  for (const rec of members.current()) {
    if (!include(rec) || rec.object.status.state === "removed") continue;
    const m = /^(.*):(\d+)$/.exec(rec.object.metadata.name);
    if (!m?.[1] || !m[2]) continue;
    const backend = backendName(rec);
    const list = byBackend.get(backend) ?? [];
    list.push({ backend, server: `srv${list.length + 1}`, ip: m[1].replace(/^\[|\]$/g, ""), port: Number(m[2]), rec });
    byBackend.set(backend, list);
  }
  return [...byBackend.values()];
}

function serversState(members: MemberLog, include: (r: MemberRecord) => boolean): string {
  const lines = ["1", SERVERS_STATE_HEADER];
  rows(members, include).forEach((backend, b) =>
    backend.forEach((r, i) => {
      const st = r.rec.object.status;
      const op = st.state === "unhealthy" ? 0 : 2;
      const admin = st.state === "draining" ? 8 : 0;
      const w = st.weight ?? 1;
      lines.push(`${b + 3} ${r.backend} ${i + 1} ${r.server} ${r.ip} ${op} ${admin} ${w} ${w} 0 1 0 ${op === 2 ? 2 : 0} 0 0 0 0 - ${r.port} - 0 0 - - 0`);
    }),
  );
  return lines.join("\n") + "\n\n";
}

function showStat(members: MemberLog, include: (r: MemberRecord) => boolean): string {
  const lines = [STAT_HEADER];
  for (const backend of rows(members, include)) {
    for (const r of backend) {
      const st = r.rec.object.status;
      const status = st.state === "unhealthy" ? "DOWN" : st.state === "draining" ? "DRAIN" : "UP";
      lines.push(`${r.backend},${r.server},0,0,${st.connections ?? 0},0,,0,0,0,,0,,0,0,0,0,${status},${st.weight ?? 1},1,0`);
    }
  }
  return lines.join("\n") + "\n\n";
}

/** Serve the Runtime API for the members `include` selects (default all) on 127.0.0.1:`port` (0: any) until stopped. */
export async function startHaproxyRuntimeView(members: MemberLog, include: (r: MemberRecord) => boolean = () => true, port = 0): Promise<HaproxyRuntimeView> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    socket.on("data", (d: Buffer) => {
      buffer += d.toString("utf8");
      if (buffer.length > 4096) return socket.destroy();
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      const command = buffer.slice(0, nl).trim();
      const answer =
        command === "show servers state" ? serversState(members, include) : command === "show stat" ? showStat(members, include) : `Unknown command: '${command}'\n\n`;
      socket.end(answer);
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const addr = server.address();
  return {
    address: `127.0.0.1:${addr && typeof addr === "object" ? addr.port : port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
