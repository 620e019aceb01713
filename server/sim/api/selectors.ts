/**
 * Label and field selectors, as the API server parses them from `labelSelector` / `fieldSelector`.
 * Label: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma = AND.
 * Field: `path=v`, `path==v`, `path!=v` on the fields each resource supports (unknown fields are a 400,
 * as on a real server).
 */
import type { KubeObject, Labels, ResourceName } from "../k8s/types";

export class SelectorError extends Error {
  override name = "SelectorError";
}

type LabelRequirement =
  | { readonly op: "eq" | "neq"; readonly key: string; readonly value: string }
  | { readonly op: "in" | "notin"; readonly key: string; readonly values: readonly string[] }
  | { readonly op: "exists" | "notexists"; readonly key: string };

export type LabelSelector = readonly LabelRequirement[];

const KEY_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Split on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, raw: string): string {
  if (!KEY_RE.test(key)) throw new SelectorError(`invalid label key "${key}" in "${raw}"`);
  return key;
}

function checkValue(value: string, raw: string): string {
  if (!VALUE_RE.test(value)) throw new SelectorError(`invalid label value "${value}" in "${raw}"`);
  return value;
}

function parseRequirement(raw: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(raw);
  if (set) {
    const [, key = "", op, list = ""] = set;
    const values = list.split(",").map((v) => checkValue(v.trim(), raw));
    return { op: op === "in" ? "in" : "notin", key: checkKey(key, raw), values };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(raw);
  if (cmp) {
    const [, key = "", op, value = ""] = cmp;
    return { op: op === "!=" ? "neq" : "eq", key: checkKey(key, raw), value: checkValue(value.trim(), raw) };
  }
  if (raw.startsWith("!")) return { op: "notexists", key: checkKey(raw.slice(1).trim(), raw) };
  return { op: "exists", key: checkKey(raw, raw) };
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text) return [];
  return splitTopLevel(text).map(parseRequirement);
}

export function matchesLabels(selector: LabelSelector, labels: Labels | undefined): boolean {
  for (const req of selector) {
    const has = labels !== undefined && Object.hasOwn(labels, req.key);
    const value = has ? labels[req.key] : undefined;
    switch (req.op) {
      case "eq":
        if (value !== req.value) return false;
        break;
      case "neq":
        if (value === req.value) return false;
        break;
      case "in":
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case "notin":
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "notexists":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A Deployment/ReplicaSet/Service `matchLabels` map as a selector. */
export function selectorFromMap(matchLabels: Labels): LabelSelector {
  return Object.entries(matchLabels).map(([key, value]) => ({ op: "eq", key, value }));
}

interface FieldRequirement {
  readonly path: string;
  readonly negate: boolean;
  readonly value: string;
}

export type FieldSelector = readonly FieldRequirement[];

const COMMON_FIELDS = ["metadata.name", "metadata.namespace"];

/** Field selectors each resource accepts (the subset of the real server's the watcher may send). */
const SUPPORTED_FIELDS: Readonly<Partial<Record<ResourceName, readonly string[]>>> = {
  pods: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"],
  events: [
    "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
    "reason", "reportingComponent", "source", "type",
  ],
  nodes: ["spec.unschedulable"],
};

export function parseFieldSelector(resource: ResourceName, text: string | undefined): FieldSelector {
  if (!text) return [];
  const allowed = new Set([...COMMON_FIELDS, ...(SUPPORTED_FIELDS[resource] ?? [])]);
  return splitTopLevel(text).map((raw) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(raw);
    if (!m) throw new SelectorError(`invalid field selector "${raw}"`);
    const [, path = "", op, value = ""] = m;
    if (!allowed.has(path)) throw new SelectorError(`field label not supported: ${path}`);
    return { path, negate: op === "!=", value };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldValue(obj: KubeObject, path: string): string {
  const segments = path === "source" ? ["source", "component"] : path.split(".");
  let cur: unknown = obj;
  for (const seg of segments) cur = isRecord(cur) ? cur[seg] : undefined;
  if (cur === undefined || cur === null) return "";
  return typeof cur === "string" ? cur : JSON.stringify(cur);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  for (const req of selector) {
    const equal = fieldValue(obj, req.path) === req.value;
    if (equal === req.negate) return false;
  }
  return true;
}
