/** Risk-rule ids and severities (design §5). */
export const RISK_RULES = {
  "dead-but-routed": "critical",
  "sigterm-before-deregistration": "high",
  "killed-at-grace-deadline": "high",
  "drain-outlives-pod": "high",
  "no-ready-endpoints": "critical",
  "fallback-to-terminating": "medium",
  "slow-endpoint-removal": "medium",
  "ghost-container": "medium",
  "restart-blackhole": "medium",
  unobserved: "info",
} as const;

export type RiskRuleId = keyof typeof RISK_RULES;
export type Severity = "critical" | "high" | "medium" | "info";

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 3, high: 2, medium: 1, info: 0 };

export const RISK_RULE_IDS = Object.keys(RISK_RULES) as RiskRuleId[];

export function isRiskRuleId(value: string): value is RiskRuleId {
  return Object.hasOwn(RISK_RULES, value);
}
