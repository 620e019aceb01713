/**
 * `drainscope ipvs-agent`: runs on each node (deploy/ipvs-agent/ DaemonSet, hostNetwork so /proc/net is
 * the node's), reads the IPVS table every few seconds and posts its changes to the dashboard's ingest API.
 */
import { readFile } from "node:fs/promises";
import type { LbIngest } from "../../../lib/api/contracts";
import { createIpvsAgent } from "../../lb/ipvs-agent";
import { boolFlag, numberFlag, parseArgs, stringFlag, UsageError } from "../args";
import type { CliIo } from "../io";
import { counted } from "../../../lib/text/count";

export const IPVS_AGENT_HELP = `Usage: drainscope ipvs-agent [options]

Reads the node's IPVS table (kube-proxy in ipvs mode) and posts every change of a real server (weight,
ActiveConn + InActConn, added, removed) to Drainscope's ingest API, with the interval between two reads
as the change's uncertainty.

Options:
  --server URL        Drainscope's base URL (env DRAINSCOPE_URL; default http://127.0.0.1:3000)
  --token-file PATH   file holding the ingest token (env DRAINSCOPE_INGEST_TOKEN_FILE, or the token
                      itself in DRAINSCOPE_INGEST_TOKEN)
  --table PATH        the table to read: /proc/net/ip_vs (default) or a file of \`ipvsadm -Ln\` output
  --node NAME         node name for the LB names, ipvs/NODE/VIP:PORT (env NODE_NAME)
  --cluster NAME      cluster name to record under (default: the server's)
  --interval SECONDS  seconds between reads (default 2)
  --once              read and post once, then exit (1 if that failed)
  --dry-run           print the ingest bodies instead of posting them
  -h, --help          show this help
`;

const SPEC = {
  server: { type: "string" },
  "token-file": { type: "string" },
  table: { type: "string" },
  node: { type: "string" },
  cluster: { type: "string" },
  interval: { type: "string" },
  once: { type: "boolean" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", alias: "h" },
} as const;

async function readToken(io: CliIo, file: string | undefined): Promise<string | undefined> {
  const path = file ?? io.env.DRAINSCOPE_INGEST_TOKEN_FILE;
  if (path) return (await readFile(path, "utf8")).trim();
  return io.env.DRAINSCOPE_INGEST_TOKEN?.trim() || undefined;
}

export async function ipvsAgentCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let opts;
  try {
    const a = parseArgs(argv, SPEC);
    if (boolFlag(a, "help")) {
      io.out(IPVS_AGENT_HELP);
      return 0;
    }
    const server = new URL(stringFlag(a, "server") ?? io.env.DRAINSCOPE_URL ?? "http://127.0.0.1:3000");
    if (server.protocol !== "http:" && server.protocol !== "https:") throw new UsageError(`--server must be an http(s) URL, got ${server.protocol}`);
    const node = stringFlag(a, "node") ?? io.env.NODE_NAME;
    const cluster = stringFlag(a, "cluster");
    opts = {
      ingestUrl: new URL("/api/ingest/lb", server).toString(),
      tokenFile: stringFlag(a, "token-file"),
      table: stringFlag(a, "table") ?? "/proc/net/ip_vs",
      intervalMs: (numberFlag(a, "interval", { min: 0.2, max: 3600 }) ?? 2) * 1000,
      once: boolFlag(a, "once"),
      dryRun: boolFlag(a, "dry-run"),
      ...(node ? { node } : {}),
      ...(cluster ? { cluster } : {}),
    };
  } catch (e) {
    if (e instanceof UsageError || e instanceof TypeError) {
      io.err(`drainscope ipvs-agent: ${e.message}\n\n${IPVS_AGENT_HELP}`);
      return 2;
    }
    throw e;
  }
  const token = opts.dryRun ? undefined : await readToken(io, opts.tokenFile).catch((e: unknown) => {
    io.err(`drainscope ipvs-agent: cannot read the token file: ${e instanceof Error ? e.message : String(e)}\n`);
    return null;
  });
  if (token === null) return 2;
  if (!opts.dryRun && !token) {
    io.err("drainscope ipvs-agent: no ingest token (--token-file, DRAINSCOPE_INGEST_TOKEN_FILE or DRAINSCOPE_INGEST_TOKEN)\n");
    return 2;
  }
  const post = async (body: LbIngest) => {
    if (opts.dryRun) return io.out(`${JSON.stringify(body)}\n`);
    const res = await fetch(opts.ingestUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token ?? ""}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`POST ${opts.ingestUrl}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  };
  const agent = createIpvsAgent({ readTable: () => readFile(opts.table, "utf8"), post, now: () => Date.now(), ...(opts.node ? { node: opts.node } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}) });
  const round = async (): Promise<boolean> => {
    try {
      const n = await agent.pollOnce();
      if (n > 0 && !opts.dryRun) io.err(`ipvs-agent: posted ${counted(n, "change")}\n`);
      return true;
    } catch (e) {
      io.err(`ipvs-agent: ${e instanceof Error ? e.message : String(e)}\n`);
      return false;
    }
  };
  if (opts.once) return (await round()) ? 0 : 1;
  io.err(`ipvs-agent: reading ${opts.table} every ${opts.intervalMs / 1000} s${opts.node ? ` on ${opts.node}` : ""}, posting to ${opts.ingestUrl}\n`);
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  while (!stopped) {
    await round();
    const until = Date.now() + opts.intervalMs;
    while (!stopped && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(200, opts.intervalMs)));
  }
  return 0;
}
