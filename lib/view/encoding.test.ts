import { describe, expect, it } from "vitest";
import { ENDPOINT_STYLES, LB_STYLES, LEGEND_ITEMS, LEGEND_MARKS, markLegendLabel, nowLineLabel, PHASE_STYLES, RISK_BAND_ALPHA, riskBandAlpha, type BarStyle } from "./encoding";

/** A legend swatch that draws `style` (same colour, pattern, outline, thin line height and opacity). */
function inLegend(style: BarStyle): string | undefined {
  for (const [label, s] of LEGEND_ITEMS) {
    if (s.kind !== "fill" || s.colour !== style.colour || s.pattern !== style.pattern || (s.outline ?? false) !== (style.outline ?? false) || (s.alpha ?? 1) !== (style.alpha ?? 1)) continue;
    if (style.height !== undefined ? s.thin && (s.height ?? 1) === style.height : !s.thin) return label;
  }
  return undefined;
}

describe("legend completeness", () => {
  it("has a swatch for every pod phase, endpoint and LB state the lanes draw", () => {
    for (const [kind, style] of Object.entries(PHASE_STYLES)) expect(inLegend(style), kind).toBeDefined();
    for (const [state, style] of [...Object.entries(ENDPOINT_STYLES), ...Object.entries(LB_STYLES)]) expect(inLegend(style), state).toBeDefined();
    expect(inLegend(PHASE_STYLES.pending)).toBe("pending");
    expect(inLegend(PHASE_STYLES.unready)).toBe("running, not ready");
    expect(inLegend(PHASE_STYLES.terminating)).toBe("terminating");
    expect(inLegend(PHASE_STYLES.prestop)).toBe("preStop");
  });

  it("names the dashed line, open ends, whiskers and clusters", () => {
    expect(LEGEND_MARKS).toEqual(["now", "open", "whisker", "bracket", "cluster"]);
    expect(nowLineLabel(true)).toBe("now");
    expect(nowLineLabel(false)).toBe("data ends");
    expect(markLegendLabel("now", false)).toBe("data ends");
    expect(markLegendLabel("whisker", false)).toBe("time uncertainty");
    expect(markLegendLabel("cluster", true)).toBe("N markers (hover to expand)");
  });
});

describe("risk band opacity", () => {
  it("keeps the light theme's 0.3 / 0.45 (the SVG export's value) and fills more opaquely on dark", () => {
    expect(riskBandAlpha(false)).toBe(RISK_BAND_ALPHA);
    expect(riskBandAlpha(false, true)).toBe(0.45);
    expect(riskBandAlpha(true)).toBe(0.5);
    expect(riskBandAlpha(true, true)).toBeGreaterThan(riskBandAlpha(true));
  });
});
