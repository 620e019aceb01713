/**
 * HAProxy's Runtime API as an LB source: each poll sends `show servers state` and `show stat` over the
 * stats socket (TCP `host:port` or a unix socket path), one command per connection — HAProxy answers
 * and closes in non-interactive mode. Drain, maintenance and deletion show up at the next poll.
 */
import { connect, type Socket } from "node:net";
import { haproxyMembers, parseServersState, parseShowStat, type HaproxyMemberOptions } from "../../lib/lb/haproxy";
import type { LbSource } from "./poller";

/** Largest Runtime API answer read (a `show stat` of a few thousand servers is well under this). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export type RuntimeAddress = { readonly kind: "tcp"; readonly host: string; readonly port: number } | { readonly kind: "unix"; readonly path: string };

/** "tcp://127.0.0.1:9999", "127.0.0.1:9999", "[::1]:9999", "unix:///run/haproxy.sock" or "/run/haproxy.sock". */
export function parseRuntimeAddress(address: string): RuntimeAddress | { error: string } {
  if (address.startsWith("unix://")) return { kind: "unix", path: address.slice("unix://".length) };
  if (address.startsWith("/")) return { kind: "unix", path: address };
  const m = /^(?:tcp:\/\/)?(\[[0-9a-fA-F:]+\]|[^:/\s]+):(\d{1,5})$/.exec(address);
  const port = Number(m?.[2]);
  if (!m?.[1] || !(port > 0 && port < 65536)) return { error: `"${address}" is not host:port, tcp://host:port, unix:///path or /path` };
  return { kind: "tcp", host: m[1].replace(/^\[|\]$/g, ""), port };
}

/** Send one Runtime API command and return the whole answer. */
export function runtimeCommand(address: RuntimeAddress, command: string, signal: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    const socket: Socket = address.kind === "tcp" ? connect({ host: address.host, port: address.port }) : connect({ path: address.path });
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = () => socket.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    const done = (err?: Error) => {
      signal.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString("utf8"));
    };
    socket.on("connect", () => socket.end(`${command}\n`));
    socket.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_ANSWER_BYTES) socket.destroy(new Error("Runtime API answer larger than 16 MiB"));
      else chunks.push(c);
    });
    socket.on("error", (e) => done(e));
    socket.on("close", (hadError) => {
      if (!hadError) done();
    });
  });
}

export interface HaproxySourceOptions extends HaproxyMemberOptions {
  readonly name: string;
  readonly address: string;
}

export function haproxySource(o: HaproxySourceOptions): LbSource {
  const address = parseRuntimeAddress(o.address);
  if ("error" in address) throw new Error(`haproxy source ${o.name}: ${address.error}`);
  return {
    name: o.name,
    kind: "haproxy",
    async read(signal) {
      const state = parseServersState(await runtimeCommand(address, "show servers state", signal));
      if (!state.ok) throw new Error(state.error);
      const stat = parseShowStat(await runtimeCommand(address, "show stat", signal));
      if (!stat.ok) throw new Error(stat.error);
      return haproxyMembers(state.value, stat.value, o);
    },
  };
}
