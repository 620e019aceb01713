/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line is a
 * HELP, a TYPE or a sample; names and labels follow the format's grammar; a sample belongs to a family
 * whose TYPE came first; histogram buckets are cumulative and end at +Inf with the count.
 */
export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  type: MetricType;
  help?: string;
  readonly samples: Sample[];
}

export class PrometheusTextError extends Error {
  override name = "PrometheusTextError";
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);

/** Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any letter case. */
function parseValue(v: string, where: string): number {
  const lower = v.toLowerCase();
  if (lower === "+inf" || lower === "inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  if (lower === "nan") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) throw new PrometheusTextError(`${where}: "${v}" is not a number`);
  return Number(v);
}

/** `{a="x",b="y\"z"}` → labels; returns the index after the closing brace. */
function parseLabels(line: string, start: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    if (line[i] === "}") return { labels, end: i + 1 };
    const eq = line.indexOf("=", i);
    if (eq < 0) throw new PrometheusTextError(`${where}: label without "="`);
    const name = line.slice(i, eq);
    if (!LABEL.test(name)) throw new PrometheusTextError(`${where}: bad label name "${name}"`);
    if (name in labels) throw new PrometheusTextError(`${where}: label "${name}" twice`);
    if (line[eq + 1] !== '"') throw new PrometheusTextError(`${where}: label value of "${name}" is not quoted`);
    let j = eq + 2;
    let value = "";
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === "\\") {
        const next = line[++j];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new PrometheusTextError(`${where}: bad escape "\\${next ?? ""}"`);
      } else value += line[j];
    }
    if (j >= line.length) throw new PrometheusTextError(`${where}: unterminated label value`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ",") i++;
    else if (line[i] !== "}") throw new PrometheusTextError(`${where}: expected "," or "}" after a label`);
  }
}

/** The family a sample name belongs to (histogram and summary samples carry suffixes). */
function familyOf(name: string, families: ReadonlyMap<string, Family>): Family | undefined {
  const direct = families.get(name);
  if (direct) return direct;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const f = families.get(name.slice(0, -suffix.length));
    if (f && (f.type === "histogram" || (f.type === "summary" && suffix !== "_bucket"))) return f;
  }
  return undefined;
}

function checkHistogram(f: Family): void {
  const series = new Map<string, Sample[]>();
  for (const s of f.samples) {
    if (!s.name.endsWith("_bucket")) continue;
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new PrometheusTextError(`${f.name}: bucket without "le"`);
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, buckets] of series) {
    let previous = -Infinity;
    let count = 0;
    for (const b of buckets) {
      const le = parseValue(b.labels.le ?? "", `${f.name}${key}`);
      if (le <= previous) throw new PrometheusTextError(`${f.name}${key}: buckets not in increasing "le" order`);
      if (b.value < count) throw new PrometheusTextError(`${f.name}${key}: buckets are not cumulative`);
      previous = le;
      count = b.value;
    }
    if (previous !== Infinity) throw new PrometheusTextError(`${f.name}${key}: no +Inf bucket`);
    const total = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(s.labels) === key);
    if (!total || total.value !== count) throw new PrometheusTextError(`${f.name}${key}: _count differs from the +Inf bucket`);
  }
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new PrometheusTextError("the exposition must end with a line feed");
  const families = new Map<string, Family>();
  text
    .slice(0, -1)
    .split("\n")
    .forEach((line, index) => {
      const where = `line ${index + 1}`;
      if (line === "") return;
      if (line.startsWith("#")) {
        const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
        if (!m) return; // other comments are allowed
        const [, kind, name = "", rest = ""] = m;
        if (!NAME.test(name)) throw new PrometheusTextError(`${where}: bad metric name "${name}"`);
        const f = families.get(name) ?? { name, type: "untyped" as MetricType, samples: [] };
        if (kind === "TYPE") {
          if (!TYPES.has(rest as MetricType)) throw new PrometheusTextError(`${where}: unknown type "${rest}"`);
          if (families.has(name) && f.samples.length > 0) throw new PrometheusTextError(`${where}: TYPE after samples of ${name}`);
          f.type = rest as MetricType;
        } else f.help = rest;
        families.set(name, f);
        return;
      }
      const nameEnd = line.search(/[{ ]/);
      if (nameEnd <= 0) throw new PrometheusTextError(`${where}: not a sample: ${line}`);
      const name = line.slice(0, nameEnd);
      if (!NAME.test(name)) throw new PrometheusTextError(`${where}: bad metric name "${name}"`);
      let labels: Record<string, string> = {};
      let i = nameEnd;
      if (line[i] === "{") ({ labels, end: i } = parseLabels(line, i, where));
      if (line[i] !== " ") throw new PrometheusTextError(`${where}: expected a space before the value`);
      const [value, timestamp, ...extra] = line.slice(i + 1).split(" ");
      if (value === undefined || extra.length > 0) throw new PrometheusTextError(`${where}: expected "value [timestamp]"`);
      if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) throw new PrometheusTextError(`${where}: bad timestamp`);
      const f = familyOf(name, families);
      if (!f) throw new PrometheusTextError(`${where}: sample ${name} before its # TYPE line`);
      f.samples.push({ name, labels, value: parseValue(value, where) });
    });
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}
