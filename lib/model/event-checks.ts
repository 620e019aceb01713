/**
 * The door check for observations built from outside data (a recording, an audit log): the same rules
 * the event schemas hold bundles to (names.ts, time-limits.ts), as a cheap walk over the fields that
 * carry times and names rather than a full schema parse, so a large import stays fast. Returns
 * "field: what is wrong" for the first problem, or undefined.
 */
import type { LifecycleEvent } from "./events";
import { clusterNameProblem, namespaceProblem, podNameProblem } from "./names";
import { durationSecondsProblem, rangeProblem, timeProblem } from "./time-limits";

export function eventProblem(e: LifecycleEvent): string | undefined {
  const check = (field: string, problem: string | undefined): string | undefined => (problem ? `${field}: ${problem}` : undefined);
  const first = (...xs: (string | undefined)[]): string | undefined => xs.find((x) => x !== undefined);
  const common = first(
    check("cluster", clusterNameProblem(e.cluster)),
    e.namespace === "" ? undefined : check("namespace", namespaceProblem(e.namespace)),
    check("at", timeProblem(e.at)),
    check("range[0]", timeProblem(e.range[0])),
    check("range[1]", timeProblem(e.range[1])),
    check("range", rangeProblem(e.range[0], e.range[1])),
    e.observedAt === undefined ? undefined : check("observedAt", timeProblem(e.observedAt)),
    "pod" in e && e.pod !== undefined ? check("pod", podNameProblem(e.pod)) : undefined,
  );
  if (common) return common;
  switch (e.type) {
    case "delete-requested":
      return first(check("deadline", timeProblem(e.deadline)), check("graceSeconds", durationSecondsProblem(e.graceSeconds)), check("specGraceSeconds", durationSecondsProblem(e.specGraceSeconds)));
    case "watcher-gap":
      return first(
        check("from", timeProblem(e.from)),
        e.to === undefined ? undefined : check("to", timeProblem(e.to)),
        e.to !== undefined && e.to < e.from ? `to: ${e.to} is before from: ${e.from} (the gap is inverted)` : undefined,
      );
    case "pod-seen":
      return first(
        check("spec.terminationGracePeriodSeconds", durationSecondsProblem(e.spec.terminationGracePeriodSeconds)),
        e.spec.createdAt === undefined ? undefined : check("spec.createdAt", timeProblem(e.spec.createdAt)),
      );
    default:
      return undefined;
  }
}
