/**
 * The visual encoding (design §6.5), one definition for every picture: the dashboard's canvas swimlane
 * and legend (components/timeline) and the SVG/PNG export (lib/export/svg.ts). One hue per meaning plus a
 * pattern or shape, so nothing depends on colour alone. Pure data: no DOM, no React.
 */
import type { LifecyclePhaseKind } from "../engine/types";
import type { MarkerKind } from "./markers";

/** The colour roles; the dashboard reads them from the CSS design tokens (app/globals.css). */
export type ColourRole =
  | "surface"
  | "sunken"
  | "fg"
  | "muted"
  | "line"
  | "accent"
  | "serving"
  | "prestop"
  | "draining"
  | "exited"
  | "critical"
  | "high"
  | "medium"
  | "gap"
  | "ok";

/** CSS custom property of each role. */
export const COLOUR_TOKENS: Readonly<Record<ColourRole, string>> = {
  surface: "--color-surface",
  sunken: "--color-surface-sunken",
  fg: "--color-fg",
  muted: "--color-fg-muted",
  line: "--color-line",
  accent: "--color-accent",
  serving: "--color-phase-serving",
  prestop: "--color-phase-prestop",
  draining: "--color-phase-draining",
  exited: "--color-phase-exited",
  critical: "--color-risk-critical",
  high: "--color-risk-high",
  medium: "--color-risk-medium",
  gap: "--color-gap",
  ok: "--color-ok",
};

/** Light-theme colour of each role (the values of app/globals.css; colour-blind safe, Okabe–Ito hues). */
export const LIGHT_COLOURS: Readonly<Record<ColourRole, string>> = {
  surface: "#ffffff",
  sunken: "#eef0f3",
  fg: "#14171c",
  muted: "#5a6270",
  line: "#d9dde3",
  accent: "#0b63b6",
  serving: "#0072b2",
  prestop: "#56b4e9",
  draining: "#cc79a7",
  exited: "#5a6270",
  critical: "#d55e00",
  high: "#e69f00",
  medium: "#f0e442",
  gap: "#9aa1ab",
  ok: "#009e73",
};

/**
 * Fill patterns: stripes (preStop, before SIGTERM), dots (draining, after SIGTERM), hatch
 * (serving+terminating, LB draining), cross (watcher gaps).
 */
export type PatternKind = "stripes" | "dots" | "hatch" | "cross";

/** Pattern tile size in px (square). */
export function patternTileSize(kind: PatternKind): number {
  return kind === "dots" ? 4 : 6;
}

/**
 * One tile of each pattern as SVG path data: the canvas draws it with `new Path2D(path)`, the SVG export
 * as a `<path d>` inside a `<pattern>`, so both pictures use the same geometry. `paint`: stroke the path
 * (`width` px) or fill it.
 */
export interface PatternTile {
  readonly size: number;
  readonly path: string;
  readonly paint: "stroke" | "fill";
  readonly width: number;
}

function tile(kind: PatternKind): PatternTile {
  const s = patternTileSize(kind);
  switch (kind) {
    case "stripes": // "/" lines, dense: before SIGTERM (the corner stubs make the lines continuous across tiles)
      return { size: s, path: `M0 ${s}L${s} 0M-1 1L1 -1M${s - 1} ${s + 1}L${s + 1} ${s - 1}`, paint: "stroke", width: 1.5 };
    case "dots": // a 1.2 px dot at (1.5, 1.5)
      return { size: s, path: "M2.7 1.5A1.2 1.2 0 1 1 0.3 1.5A1.2 1.2 0 1 1 2.7 1.5Z", paint: "fill", width: 0 };
    case "hatch": // "\" lines
      return { size: s, path: `M0 0L${s} ${s}M${s - 1} -1L${s + 1} 1M-1 ${s - 1}L1 ${s + 1}`, paint: "stroke", width: 1.2 };
    case "cross":
      return { size: s, path: `M0 0L${s} ${s}M${s} 0L0 ${s}`, paint: "stroke", width: 1 };
  }
}

export const PATTERN_TILES: Readonly<Record<PatternKind, PatternTile>> = {
  stripes: tile("stripes"),
  dots: tile("dots"),
  hatch: tile("hatch"),
  cross: tile("cross"),
};

/**
 * How an interval is drawn: a full-height fill (solid or patterned; patterned ones get a thin border in
 * their hue), an outline, or a thin line (`height` px, centred). `alpha` is the fill opacity.
 */
export interface BarStyle {
  readonly colour: ColourRole;
  readonly pattern?: PatternKind;
  readonly outline?: boolean;
  readonly border?: boolean;
  readonly height?: number;
  readonly alpha?: number;
}

/** Pod bar per lifecycle phase. "Gone" (after removal) is drawn as nothing. */
export const PHASE_STYLES: Readonly<Record<LifecyclePhaseKind, BarStyle>> = {
  pending: { colour: "gap", height: 3, alpha: 0.5 },
  unready: { colour: "muted", height: 5, alpha: 0.45 },
  serving: { colour: "serving" },
  terminating: { colour: "prestop", pattern: "stripes", alpha: 0.6 },
  prestop: { colour: "prestop", pattern: "stripes", border: true },
  draining: { colour: "draining", pattern: "dots", border: true },
  exited: { colour: "exited", outline: true },
};

/** Endpoint sub-lane per state; an absent endpoint is empty. */
export const ENDPOINT_STYLES: Readonly<Record<"ready" | "serving-terminating" | "not-serving", BarStyle>> = {
  ready: { colour: "serving" },
  "serving-terminating": { colour: "draining", pattern: "hatch", border: true },
  "not-serving": { colour: "gap", height: 1 },
};

/** LB sub-lane per state; a removed member is empty, any other state a thin grey line. */
export const LB_STYLES: Readonly<Record<"active" | "draining" | "other", BarStyle>> = {
  active: { colour: "ok" },
  draining: { colour: "ok", pattern: "hatch", border: true },
  other: { colour: "gap", height: 1 },
};

/** Watcher gaps: grey cross-hatch over every lane. */
export const GAP_STYLE: BarStyle = { colour: "gap", pattern: "cross" };

/** Risk band colour per severity (anything else: grey), and its fill opacity (selected: 0.45). */
export function severityRole(severity: string): ColourRole {
  return severity === "critical" ? "critical" : severity === "high" ? "high" : severity === "medium" ? "medium" : "gap";
}
export const RISK_BAND_ALPHA = 0.3;

/**
 * Band fill opacity on screen: the light theme's 0.3 (0.45 selected); on a dark surface a 0.3 tint of
 * orange or amber reads as a dull brown or olive, so the dark theme fills at 0.5 (0.65 selected). The
 * legend's swatches use the same value, so they match the bands.
 */
export function riskBandAlpha(dark: boolean, selected = false): number {
  return dark ? (selected ? 0.65 : 0.5) : selected ? 0.45 : RISK_BAND_ALPHA;
}

/**
 * Severity rank, higher is worse: lists sort by it descending (worst first), bands are painted ascending
 * (worst on top) and band labels are placed descending (the worst window gets its label). One order for
 * every view; anything unknown ranks lowest.
 */
export const SEVERITY_DRAW_ORDER: Readonly<Record<string, number>> = { info: 0, medium: 1, high: 2, critical: 3 };
export const RISK_SEVERITIES = ["critical", "high", "medium"] as const;

/** The marker glyph of each marker kind (the canvas draws the same shapes as paths). */
export const MARKER_GLYPHS: Readonly<Record<MarkerKind, string>> = {
  delete: "✕",
  killing: "▼",
  sigterm: "⚡",
  exit: "■",
  sigkill: "☠",
  removal: "○",
};

/** Short marker names, as the legend prints them. */
export const MARKER_NAMES_SHORT: Readonly<Record<MarkerKind, string>> = {
  delete: "delete",
  killing: "Killing",
  sigterm: "SIGTERM",
  exit: "exit",
  sigkill: "SIGKILL",
  removal: "removed",
};

/** Marker colour: SIGKILL in the critical hue, every other marker in the foreground colour. */
export function markerRole(kind: MarkerKind): ColourRole {
  return kind === "sigkill" ? "critical" : "fg";
}

/**
 * Vertical offset of a marker as a fraction of the pod row height: API-side marks (delete, removal) ride
 * high, SIGTERM low, the kubelet's Killing/exit in the middle, so markers at one instant stay apart.
 */
export function markerOffset(kind: MarkerKind): number {
  return kind === "delete" || kind === "removal" ? -0.22 : kind === "sigterm" ? 0.22 : 0;
}

/**
 * A legend swatch. `thin` bars are drawn as a line (`height` px, default 1, at `alpha` opacity), as the lanes
 * draw the pending and not-ready phases and the "not serving" sub-lane states.
 */
export type Swatch =
  | { readonly kind: "fill"; readonly colour: ColourRole; readonly pattern?: PatternKind; readonly outline?: boolean; readonly thin?: boolean; readonly height?: number; readonly alpha?: number; readonly noBorder?: boolean }
  | { readonly kind: "glyph"; readonly glyph: MarkerKind };

/** The legend, in order: bars, sub-lanes, gaps, markers. Risk severities follow it. */
export const LEGEND_ITEMS: readonly (readonly [string, Swatch])[] = [
  ["pending", { kind: "fill", colour: PHASE_STYLES.pending.colour, thin: true, height: PHASE_STYLES.pending.height ?? 1, alpha: PHASE_STYLES.pending.alpha ?? 1 }],
  ["running, not ready", { kind: "fill", colour: PHASE_STYLES.unready.colour, thin: true, height: PHASE_STYLES.unready.height ?? 1, alpha: PHASE_STYLES.unready.alpha ?? 1 }],
  ["serving", { kind: "fill", colour: "serving" }],
  // Delete seen, the kubelet not acting yet (no Killing): the preStop stripes, fainter and without a border.
  ["terminating", { kind: "fill", colour: PHASE_STYLES.terminating.colour, pattern: "stripes", alpha: PHASE_STYLES.terminating.alpha ?? 1, noBorder: true }],
  ["preStop", { kind: "fill", colour: "prestop", pattern: "stripes" }],
  ["draining", { kind: "fill", colour: "draining", pattern: "dots" }],
  ["exited", { kind: "fill", colour: "exited", outline: true }],
  ["ep ready", { kind: "fill", colour: "serving" }],
  ["ep serving+terminating", { kind: "fill", colour: "draining", pattern: "hatch" }],
  ["ep not serving", { kind: "fill", colour: "gap", thin: true }],
  ["LB active", { kind: "fill", colour: "ok" }],
  ["LB draining", { kind: "fill", colour: "ok", pattern: "hatch" }],
  ["gap", { kind: "fill", colour: "gap", pattern: "cross" }],
  ...(["delete", "killing", "sigterm", "exit", "sigkill", "removal"] as const).map((k): readonly [string, Swatch] => [MARKER_NAMES_SHORT[k], { kind: "glyph", glyph: k }]),
];

/**
 * Marks the dashboard draws besides bars and glyphs, each in the legend too: the dashed line at the
 * document's clock ("now" when live, "data ends" for a recording or a closed range), a cluster disc
 * (markers within a few px, with their count), a precision whisker or bracket (time known only within a
 * range) and the ▶ at the end of a phase still open at that line.
 */
export type MarkKind = "now" | "cluster" | "whisker" | "bracket" | "open";

/** Legend text of each mark; `live` picks the now line's name. */
export function markLegendLabel(kind: MarkKind, live: boolean): string {
  switch (kind) {
    case "now":
      return nowLineLabel(live);
    case "cluster":
      return "N markers (hover to expand)";
    case "whisker":
      return "time uncertainty";
    case "bracket":
      return "SIGTERM estimated within";
    case "open":
      return "still open";
  }
}

/** The dashed line's name, in the legend and at its top in the ruler. */
export function nowLineLabel(live: boolean): string {
  return live ? "now" : "data ends";
}

/** Colour of each mark (the legend paints it with the lanes' palette). */
export const MARK_ROLES: Readonly<Record<MarkKind, ColourRole>> = { now: "accent", cluster: "fg", whisker: "fg", bracket: "fg", open: "fg" };

export const LEGEND_MARKS: readonly MarkKind[] = ["now", "open", "whisker", "bracket", "cluster"];
