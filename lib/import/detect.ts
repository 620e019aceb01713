/**
 * Which format a file is, told by its first line: a Drainscope bundle (`{"format":"drainscope-bundle",…}`),
 * a Kubernetes audit log (`"apiVersion":"audit.k8s.io/v1"` Event lines) or a watch recording (the
 * `drainscope analyze` line format, `{"type":"ADDED",…}`).
 */
import { AUDIT_API_VERSION } from "./audit";
import { ImportError } from "./errors";

export type ImportFormat = "bundle" | "recording" | "audit";

export const EXPECTED_ANY =
  'expected a Drainscope bundle ({"format":"drainscope-bundle",…}), a watch recording (one {"type":"ADDED|MODIFIED|DELETED","object":{…}} per line) or a Kubernetes audit log (one audit.k8s.io/v1 Event per line)';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function detectFormat(file: string, text: string): ImportFormat {
  const body = text.replace(/^\uFEFF/, "");
  if (/^\s*\{\s*"format"\s*:\s*"drainscope-bundle"/.test(body)) return "bundle";
  const lines = body.split("\n");
  const idx = lines.findIndex((l) => l.trim() !== "");
  if (idx === -1) throw new ImportError(file, 0, `the file is empty: ${EXPECTED_ANY}`);
  const first = (lines[idx] ?? "").trim();
  let raw: unknown;
  try {
    raw = JSON.parse(first);
  } catch (e) {
    // A broken first line of a recognisable kind: let that format's parser name the problem.
    if (/"apiVersion"\s*:\s*"audit\.k8s\.io\/v1"/.test(first)) return "audit";
    if (/^\{\s*"type"\s*:\s*"(ADDED|MODIFIED|DELETED|BOOKMARK|ERROR)"/.test(first)) return "recording";
    // Perhaps a pretty-printed document: a bundle (any key order) is recognised whole.
    try {
      const whole: unknown = JSON.parse(body);
      if (isRecord(whole) && whole.format === "drainscope-bundle") return "bundle";
    } catch {
      /* fall through to the error below */
    }
    const why = e instanceof Error ? e.message : String(e);
    if (first.startsWith("{") && /end of JSON input|Unterminated string/.test(why) && idx === lines.length - 1 - (lines[lines.length - 1]?.trim() === "" ? 1 : 0)) {
      throw new ImportError(file, idx + 1, `truncated line: the file ends mid-object after ${first.length} characters; ${EXPECTED_ANY}`);
    }
    throw new ImportError(file, idx + 1, `not valid JSON; ${EXPECTED_ANY}`);
  }
  if (!isRecord(raw)) throw new ImportError(file, idx + 1, `not a JSON object; ${EXPECTED_ANY}`);
  if (raw.format === "drainscope-bundle") return "bundle";
  if (raw.apiVersion === AUDIT_API_VERSION) return "audit";
  if (typeof raw.type === "string" && "object" in raw) return "recording";
  const what = typeof raw.kind === "string" ? ` (found a ${raw.kind} object)` : "";
  throw new ImportError(file, idx + 1, `unrecognised format${what}: ${EXPECTED_ANY}`);
}

