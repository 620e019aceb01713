/**
 * The addresses that only this machine can reach. Listening anywhere else needs DRAINSCOPE_AUTH_TOKEN: the
 * one rule `drainscope start` and the ingest listener both apply.
 */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "::1"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}
