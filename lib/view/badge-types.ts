/** Re-exports for badge props, so components take the engine's own unions. */
export type { Verdict } from "../engine/types";
export type { Severity } from "../rules/ids";
