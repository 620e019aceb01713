/**
 * V8 heap sizing for a watcher-only process (`drainscope watch`). V8 grows the old generation after each
 * major GC by a factor of up to 4 when allocation is fast, which a watcher's bursts (a rollout, a relist)
 * always are: for a 10,000-pod rollout the old space grew to about 100 MB for 31 MB live. A growth of 20 %
 * per GC kept `drainscope watch` at 223 MB instead of 295–303 MB RSS (peak 248 instead of 320–350 MB)
 * for about 10–15 % more CPU during the burst (docs/benchmarks.md, "watcher memory and ingest
 * acknowledgement (second pass)"). V8 reads this flag at every GC, so setting it at run time works (the
 * young generation's size, by contrast, is fixed when the process starts).
 *
 * Not for the Next server that hosts the watcher in `drainscope start`: there the same heap serves pages.
 */
export const WATCHER_HEAP_GROWING_PERCENT = 20;

/** The V8 flag to set, or undefined when the user already chose one (node flags or NODE_OPTIONS). */
export function watcherHeapFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  const chosen = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a));
  return chosen ? undefined : `--heap-growing-percent=${WATCHER_HEAP_GROWING_PERCENT}`;
}
