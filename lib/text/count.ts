/**
 * A count with its noun in the right number: `counted(1, "pod")` → "1 pod", `counted(3, "pod")` → "3 pods".
 * Regular English plurals unless `plural` is given. Used for every sentence the engine, the reports and the CLI
 * write about a number of things, so none reads "1 pod(s)".
 */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
