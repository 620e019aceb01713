/**
 * How a simulated container behaves, carried on the pod template as annotations (like the stand-in
 * kubelet of shared/fixtures did with `k8sreal/*`), so the behaviour is visible in every recorded pod
 * and part of the template hash. Parsed with zod: annotations are input.
 *
 *   sim.drainscope.io/on-sigterm          drain:N | die | ignore | fail-readiness:N
 *   sim.drainscope.io/ready-after-seconds  seconds from container start until the readiness probe passes
 *   sim.drainscope.io/prestop-seconds      how long an exec/httpGet preStop runs (sleep hooks are parsed)
 *   sim.drainscope.io/prestop-fails        "true": the hook fails (FailedPreStopHook) after running
 */
import { z } from "zod";
import type { Container, Labels, LifecycleHandler } from "./types";

export const ANNOTATION_PREFIX = "sim.drainscope.io/";
export const ON_SIGTERM = `${ANNOTATION_PREFIX}on-sigterm`;
export const READY_AFTER = `${ANNOTATION_PREFIX}ready-after-seconds`;
export const PRESTOP_SECONDS = `${ANNOTATION_PREFIX}prestop-seconds`;
export const PRESTOP_FAILS = `${ANNOTATION_PREFIX}prestop-fails`;

/** What the process does when it receives SIGTERM. */
export type SigtermBehaviour =
  /** Keep serving in-flight work for `seconds`, then exit 0. */
  | { readonly kind: "drain"; readonly seconds: number }
  /** No handler: the process dies of the signal (exit 143). */
  | { readonly kind: "die" }
  /** The handler ignores it: SIGKILL at the deadline (exit 137). */
  | { readonly kind: "ignore" }
  /** Answer 503 to everything (readiness fails), exit 0 after `seconds`. */
  | { readonly kind: "fail-readiness"; readonly seconds: number };

export interface AppProfile {
  readonly onSigterm: SigtermBehaviour;
  readonly readyAfterSeconds: number;
  readonly preStopSeconds: number | undefined;
  readonly preStopFails: boolean;
}

const seconds = z.coerce.number().min(0).max(86_400);

const SigtermSchema = z.string().transform((raw, ctx): SigtermBehaviour => {
  const [kind, arg] = raw.split(":", 2);
  const n = arg === undefined ? undefined : seconds.safeParse(arg);
  switch (kind) {
    case "die":
      return { kind: "die" };
    case "ignore":
      return { kind: "ignore" };
    case "drain":
      if (n?.success) return { kind: "drain", seconds: n.data };
      break;
    case "fail-readiness":
      if (n?.success) return { kind: "fail-readiness", seconds: n.data };
      break;
  }
  ctx.addIssue({ code: "custom", message: `unknown on-sigterm behaviour "${raw}"` });
  return z.NEVER;
});

const ProfileSchema = z.object({
  [ON_SIGTERM]: SigtermSchema.default({ kind: "drain", seconds: 0 }),
  [READY_AFTER]: seconds.default(1),
  [PRESTOP_SECONDS]: seconds.optional(),
  [PRESTOP_FAILS]: z.enum(["true", "false"]).default("false"),
});

export class ProfileError extends Error {
  override name = "ProfileError";
}

export function parseAppProfile(annotations: Labels | undefined): AppProfile {
  const parsed = ProfileSchema.safeParse(annotations ?? {});
  if (!parsed.success) throw new ProfileError(`bad simulator annotations: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  const d = parsed.data;
  return {
    onSigterm: d[ON_SIGTERM],
    readyAfterSeconds: d[READY_AFTER],
    preStopSeconds: d[PRESTOP_SECONDS],
    preStopFails: d[PRESTOP_FAILS] === "true",
  };
}

export function sigtermAnnotation(b: SigtermBehaviour): string {
  switch (b.kind) {
    case "die":
    case "ignore":
      return b.kind;
    case "drain":
    case "fail-readiness":
      return `${b.kind}:${b.seconds}`;
  }
}

/** How long a preStop hook runs: the sleep action, a leading `sleep N` in an exec hook, or the annotation. */
export function preStopDurationSeconds(hook: LifecycleHandler | undefined, profile: AppProfile): number {
  if (!hook) return 0;
  if (profile.preStopSeconds !== undefined) return profile.preStopSeconds;
  if (hook.sleep) return hook.sleep.seconds;
  const script = hook.exec?.command.join(" ") ?? "";
  const m = /(?:^|\s|-c\s+)sleep\s+(\d+(?:\.\d+)?)/.exec(script);
  return m?.[1] ? Number(m[1]) : 0.2;
}

export function hasPreStop(c: Container): boolean {
  return c.lifecycle?.preStop !== undefined;
}
