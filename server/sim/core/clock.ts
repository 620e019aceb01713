/**
 * The simulator's virtual clock. Every timestamp the simulated cluster writes, and every delay it waits,
 * is on this clock, so a run at `speed` 20 takes a twentieth of the wall time and still stamps objects as
 * if it ran in real time. Two drivers share one timer heap:
 *
 * - `createScaledClock`: virtual time = start + (wall elapsed) × speed; timers wake on the host's timers.
 *   The clock never runs ahead of the work: `now()` never passes the next pending timer before that timer
 *   has run, a late timer re-anchors virtual time instead of letting it jump, due timers run in batches
 *   spanning ≤ 2 virtual ms, and after each batch time stands still until the I/O it caused has been
 *   processed. So a watcher on the same clock stamps what it receives within a batch of when it happened,
 *   whatever the speed or the host's load; under load, virtual time simply runs slower than `speed`.
 * - `createManualClock`: time moves only when a test calls `advance`; nothing waits on the wall.
 *
 * While a timer callback runs, `now()` is the timer's due time (so an exit scheduled 2 s after SIGTERM is
 * stamped exactly 2 s later), clamped so `now()` never goes backwards.
 */
import { TimerQueue, type TimerId } from "./timer-queue";

export type { TimerId };
export type EpochMs = number;

export interface SimClock {
  /** Virtual time in epoch milliseconds (may carry a fraction). Never decreases. */
  now(): EpochMs;
  /** Run `fn` after `delayMs` of virtual time. */
  setTimer(delayMs: number, fn: () => void): TimerId;
  /** Run `fn` at virtual time `atMs` (at once if that has passed). */
  setTimerAt(atMs: EpochMs, fn: () => void): TimerId;
  clearTimer(id: TimerId): void;
  /** Resolves after `delayMs` of virtual time. */
  sleep(delayMs: number): Promise<void>;
  /** Virtual milliseconds per wall millisecond (0 for a manual clock). */
  readonly speed: number;
  /** Cancel every pending timer and stop waking. */
  stop(): void;
  /** Stop virtual time (timers wait) until `resume()`; e.g. while a recorder sets up its watches. */
  pause(): void;
  resume(): void;
}

/** The host timers a scaled clock paces itself on; tests may inject fakes. */
export interface WallTimers {
  now(): number;
  /** Call `fn` after `ms` wall milliseconds; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
  /** Call `fn` once pending I/O has been processed; returns a function that cancels it. */
  immediate(fn: () => void): () => void;
}

export const realWallTimers: WallTimers = {
  now: () => performance.timeOrigin + performance.now(),
  schedule: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
  immediate: (fn) => {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  },
};

export class ClockError extends Error {
  override name = "ClockError";
}

/** Shared dispatch logic: heap, monotonic clamp, error reporting. */
abstract class BaseClock implements SimClock {
  protected readonly timers = new TimerQueue();
  protected last: number;
  protected dispatching: number | undefined;
  protected stopped = false;
  abstract readonly speed: number;

  constructor(
    start: EpochMs,
    private readonly onError: (error: unknown) => void,
  ) {
    this.last = start;
  }

  protected abstract idleNow(): number;
  protected abstract rearm(): void;

  now(): EpochMs {
    const t = this.dispatching ?? this.idleNow();
    if (t > this.last) this.last = t;
    return this.last;
  }

  setTimer(delayMs: number, fn: () => void): TimerId {
    if (!Number.isFinite(delayMs)) throw new ClockError(`timer delay must be finite, got ${delayMs}`);
    return this.setTimerAt(this.now() + Math.max(0, delayMs), fn);
  }

  setTimerAt(atMs: EpochMs, fn: () => void): TimerId {
    if (!Number.isFinite(atMs)) throw new ClockError(`timer time must be finite, got ${atMs}`);
    const id = this.timers.add(Math.max(atMs, this.last), fn);
    if (!this.stopped) this.rearm();
    return id;
  }

  clearTimer(id: TimerId): void {
    this.timers.cancel(id);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  stop(): void {
    this.stopped = true;
    this.timers.clear();
  }

  pause(): void {}

  resume(): void {}

  /** Run every timer due at or before `horizon`, in order. */
  protected dispatchUntil(horizon: number): void {
    for (;;) {
      if (this.stopped) return;
      const next = this.timers.popDue(horizon);
      if (!next) return;
      this.dispatching = Math.max(next.due, this.last);
      this.last = this.dispatching;
      try {
        next.fn();
      } catch (error) {
        this.onError(error);
      } finally {
        this.dispatching = undefined;
      }
    }
  }
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

class ScaledClock extends BaseClock {
  private cancelWake: (() => void) | undefined;
  private armedFor: number | undefined;
  private wallStart: number;
  private base: EpochMs;
  /** Set right after a batch of timers ran, until pending I/O has been processed. */
  private frozenAt: number | undefined;
  /** Set while paused. */
  private pausedAt: number | undefined;
  /** Virtual ms of timers run per batch (a watcher's stamp may be this late), and how late the clock may run before it re-anchors. */
  private readonly batchMs: number;

  constructor(
    start: EpochMs,
    readonly speed: number,
    private readonly wall: WallTimers,
    onError: (error: unknown) => void,
    /** Never hold or re-anchor time: virtual time stays start + wall elapsed × speed (see ScaledClockOptions). */
    private readonly lockToWall = false,
  ) {
    super(start, onError);
    this.base = start;
    this.wallStart = wall.now();
    this.batchMs = Math.min(2, Math.max(0.5, speed));
  }

  /** Virtual time by the wall clock alone. */
  private wallVirtual(): number {
    return this.base + (this.wall.now() - this.wallStart) * this.speed;
  }

  protected idleNow(): number {
    if (this.pausedAt !== undefined) return this.pausedAt;
    if (this.frozenAt !== undefined) return this.frozenAt;
    const v = this.wallVirtual();
    const next = this.timers.peekDue();
    return next === undefined ? v : Math.min(v, next);
  }

  private anchor(at: number): void {
    this.base = at;
    this.wallStart = this.wall.now();
  }

  protected rearm(): void {
    if (this.frozenAt !== undefined || this.pausedAt !== undefined || this.stopped) return;
    const due = this.timers.peekDue();
    if (due === undefined) {
      this.disarm();
      return;
    }
    if (this.armedFor !== undefined && this.armedFor <= due) return;
    this.disarm();
    this.armedFor = due;
    const wallDelay = Math.max(0, (due - this.wallVirtual()) / this.speed);
    this.cancelWake = this.wall.schedule(() => this.wake(), wallDelay);
  }

  private disarm(): void {
    this.cancelWake?.();
    this.cancelWake = undefined;
    this.armedFor = undefined;
  }

  private wake(): void {
    this.cancelWake = undefined;
    this.armedFor = undefined;
    const next = this.timers.peekDue();
    if (next === undefined || this.stopped || this.pausedAt !== undefined || this.frozenAt !== undefined) return;
    if (next > this.wallVirtual()) {
      this.rearm();
      return;
    }
    if (this.lockToWall) {
      // Watchers in other processes stamp with their own wall clock: time must not drift from it.
      this.dispatchUntil(this.wallVirtual());
      if (!this.stopped) this.rearm();
      return;
    }
    // Fell behind: continue virtual time from the late timer rather than jumping over the gap.
    if (this.wallVirtual() - next > this.batchMs) this.anchor(next);
    this.dispatchUntil(next + this.batchMs);
    if (this.stopped) return;
    // Hold time still until the I/O this batch caused (watch lines, responses) has been processed,
    // then resume from the same instant. (Timers the batch set may have armed a wake: that one goes.)
    this.disarm();
    this.frozenAt = this.last;
    this.cancelWake = this.wall.immediate(() => {
      this.cancelWake = undefined;
      const at = this.frozenAt ?? this.last;
      this.frozenAt = undefined;
      this.anchor(at);
      this.wake();
    });
  }

  override pause(): void {
    if (this.pausedAt === undefined) this.pauseAt(this.now());
  }

  pauseAt(at: number): void {
    this.pausedAt = at;
    this.disarm();
  }

  override resume(): void {
    const at = this.pausedAt;
    if (at === undefined) return;
    this.pausedAt = undefined;
    this.frozenAt = undefined;
    this.anchor(at);
    this.wake();
  }

  override stop(): void {
    super.stop();
    this.disarm();
    this.frozenAt = undefined;
  }
}

export interface ScaledClockOptions {
  /** Virtual time at creation (epoch ms). */
  readonly startMs: EpochMs;
  /** Virtual ms per wall ms; 1 = real time. */
  readonly speed?: number;
  /**
   * Keep virtual time locked to the wall clock (no holding time for pending I/O, no re-anchoring when
   * late). For a simulator watched from another process in real time (`drainscope simulate`, speed 1):
   * the watcher stamps receive times with its own clock, so the objects' timestamps must not drift.
   */
  readonly lockToWall?: boolean;
  readonly wall?: WallTimers;
  /** Called when a timer callback throws; default rethrows on a microtask (loud). */
  readonly onError?: (error: unknown) => void;
  /** Start paused at exactly `startMs` (see SimClock.pause). */
  readonly paused?: boolean;
}

export function createScaledClock(options: ScaledClockOptions): SimClock {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new ClockError(`speed must be a positive number, got ${speed}`);
  const clock = new ScaledClock(options.startMs, speed, options.wall ?? realWallTimers, options.onError ?? rethrowLater, options.lockToWall ?? false);
  if (options.paused) clock.pauseAt(options.startMs);
  return clock;
}

export interface ManualClock extends SimClock {
  /** Move virtual time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void;
  /** Run timers until none is left or `maxMs` of virtual time has passed. */
  runUntilIdle(maxMs?: number): void;
  /** Number of pending timers. */
  pending(): number;
}

class ManualClockImpl extends BaseClock implements ManualClock {
  readonly speed = 0;
  private current: number;

  constructor(start: EpochMs, onError: (error: unknown) => void) {
    super(start, onError);
    this.current = start;
  }

  protected idleNow(): number {
    return this.current;
  }

  protected rearm(): void {}

  advance(ms: number): void {
    const target = this.now() + Math.max(0, ms);
    this.dispatchUntil(target);
    if (target > this.current) this.current = target;
  }

  runUntilIdle(maxMs = 24 * 3600_000): void {
    const limit = this.now() + maxMs;
    for (;;) {
      const due = this.timers.peekDue();
      if (due === undefined || due > limit || this.stopped) return;
      this.dispatchUntil(due);
      if (due > this.current) this.current = due;
    }
  }

  pending(): number {
    return this.timers.size;
  }
}

export function createManualClock(startMs: EpochMs, onError: (error: unknown) => void = rethrowLater): ManualClock {
  return new ManualClockImpl(startMs, onError);
}
