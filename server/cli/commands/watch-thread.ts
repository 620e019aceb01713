/**
 * The body of the watch thread (see watch.ts): runs the runtime with the environment the launching
 * thread parsed, stops when that thread says so (it receives the signals), and reports the exit code.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runWatch } from "./watch-run";

export interface WatchThreadData {
  readonly env: Record<string, string | undefined>;
  readonly stderrIsTTY: boolean;
}

/** Messages from the watch thread to the launching one. */
export interface WatchThreadResult {
  readonly code: number;
}

export async function watchThreadMain(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("watch-thread: not started as a worker thread");
  const data = workerData as WatchThreadData;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  port.once("message", () => stop());
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
  const code = await runWatch(data.env, { out: write(process.stdout), err: write(process.stderr), env: data.env, errIsTTY: data.stderrIsTTY }, data.stderrIsTTY, () => stopped);
  port.postMessage({ code } satisfies WatchThreadResult);
  port.unref();
}
