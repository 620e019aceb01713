/**
 * The shape of a scenario module: a named, documented script that drives a SimCluster, and the risk
 * windows `drainscope analyze` must find in its recording (design §5 rules, default settings:
 * propagation budget 2 s, slow-removal threshold 1 s).
 */
import type { RiskRuleId } from "@/lib/rules/ids";
import type { SimCluster } from "../cluster/sim-cluster";

/** A kind of window the analysis must contain at least once per entry. */
export interface ExpectedWindow {
  readonly rule: RiskRuleId;
  /** The window's pod name starts with this (pod-level rules). */
  readonly podPrefix?: string;
  /** The window's service (service-level rules). */
  readonly service?: string;
}

export interface ScenarioContext {
  readonly cluster: SimCluster;
  /** The scenario's namespace (created before `run`). */
  readonly namespace: string;
  /** Wait `ms` of virtual time. */
  sleep(ms: number): Promise<void>;
  /** A progress note (the CLI prints it; tests ignore it). */
  log(message: string): void;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** What it shows, in plain words. */
  readonly description: string;
  /** The incident write-up in shared/seeds/ it reproduces, if any. */
  readonly incident?: "000" | "001" | "002" | "003" | "004";
  readonly namespace: string;
  /** Worker nodes the scenario needs (default 3). */
  readonly nodes?: number;
  /** Windows the analysis must contain (each entry at least once). */
  readonly expectedWindows: readonly ExpectedWindow[];
  /** Exact number of windows per rule; rules not listed must have none. */
  readonly expectedCounts: Readonly<Partial<Record<RiskRuleId, number>>>;
  /** Why exactly these windows appear, step by step. */
  readonly rationale: string;
  /** Roughly how long a run takes in virtual seconds (for timeouts and progress). */
  readonly approxSeconds: number;
  run(ctx: ScenarioContext): Promise<void>;
}
