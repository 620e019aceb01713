/** For the benches that start `next start`: wait until `/api/health` answers, or fail when the server exits or `ms` pass. */
import type { ChildProcess } from "node:child_process";

export async function waitForHealth(url: string, server: ChildProcess, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no answer from ${url}/api/health within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
