/** Waiting on the simulated cluster in virtual time: poll a condition until it holds or a deadline passes. */
import type { SimClock, TimerId } from "../core/clock";

export class WaitTimeoutError extends Error {
  override name = "WaitTimeoutError";
}

export interface WaitOptions {
  /** Virtual ms before giving up. */
  readonly timeoutMs: number;
  /** What is awaited, for the error message. */
  readonly what: string;
  /** Virtual ms between checks (default 100). */
  readonly pollMs?: number;
}

/** Resolve once `condition()` holds, checking every `pollMs` of virtual time. */
export function waitUntil(clock: SimClock, condition: () => boolean, o: WaitOptions): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let poll: TimerId | undefined;
    const deadline = clock.setTimer(o.timeoutMs, () => {
      if (poll !== undefined) clock.clearTimer(poll);
      reject(new WaitTimeoutError(`timed out after ${o.timeoutMs / 1000} s (virtual) waiting for ${o.what}`));
    });
    const check = (): void => {
      if (condition()) {
        clock.clearTimer(deadline);
        resolve();
        return;
      }
      poll = clock.setTimer(o.pollMs ?? 100, check);
    };
    poll = clock.setTimer(o.pollMs ?? 100, check);
  });
}
