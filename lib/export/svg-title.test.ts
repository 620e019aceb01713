// The SVG export's headline fits the picture: a long episode id loses its middle (both ends kept), the
// full line stays as the tooltip, and cluster text is escaped either way.
import { describe, expect, it } from "vitest";
import { analyzeRecording } from "../recording/analyze";
import { toAnalysisDocument } from "../report/analysis-json";
import { timelineSvg } from "./svg";
import { fittedTitle, middleEllipsis } from "./svg-title";
import type { ExportInput } from "./types";

const RANGE = { from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") };
const { timeline } = analyzeRecording([], { cluster: "prod-eu" });

function input(view: ExportInput["view"]): ExportInput {
  return { cluster: "prod-eu", view: { ...view, ...RANGE }, doc: { ...toAnalysisDocument(timeline, { allPods: true }), range: RANGE, lanes: timeline.pods, gaps: timeline.gaps } };
}

describe("middleEllipsis", () => {
  it("keeps short text and cuts the middle of long text to exactly max characters", () => {
    expect(middleEllipsis("abcdef", 6)).toBe("abcdef");
    expect(middleEllipsis("abcdefghij", 7)).toBe("abc…hij");
    expect(middleEllipsis("abcdefghij", 6)).toBe("abc…ij");
    expect(middleEllipsis("abcdefghij", 2)).toBe("a…");
    expect(middleEllipsis("abcdefghij", 1)).toBe("…");
    expect(middleEllipsis("a😀😀😀😀b", 4)).toBe("a😀…b"); // code points, never half a surrogate pair
  });
});

describe("fittedTitle", () => {
  const long = `rollout:default:${"web-frontend-".repeat(8)}canary:1795326091000`;

  it("leaves a title that fits alone", () => {
    const t = fittedTitle(input({ namespace: "default", service: "web", episode: "rollout:default:web:1795326091000" }), 106);
    expect(t).toEqual({ shown: "Drainscope — prod-eu / default / service web / episode rollout:default:web:1795326091000", full: "Drainscope — prod-eu / default / service web / episode rollout:default:web:1795326091000" });
  });

  it("shortens a long episode id in its middle to exactly the width, keeping the rest of the line", () => {
    const t = fittedTitle(input({ namespace: "default", service: "web", episode: long }), 106);
    expect(Array.from(t.shown)).toHaveLength(106);
    expect(t.shown).toBe("Drainscope — prod-eu / default / service web / episode rollout:default:web-front…tend-canary:1795326091000");
    expect(t.full).toBe(`Drainscope — prod-eu / default / service web / episode ${long}`);
  });

  it("shortens the whole line when the rest alone is too long", () => {
    const t = fittedTitle(input({ namespace: "n".repeat(200), episode: long }), 106);
    expect(Array.from(t.shown)).toHaveLength(106);
    // The episode id first goes down to 16 characters, then the line loses its middle.
    expect(t.shown).toBe(`Drainscope — prod-eu / ${"n".repeat(30)}…${"n".repeat(25)} / episode rollout:…6091000`);
  });
});

describe("SVG headline", () => {
  it("prints the shortened line, the full one as its tooltip, both escaped", () => {
    const episode = `rollout:a<b&c:${"x".repeat(150)}:1795326091000`;
    const svg = timelineSvg(input({ namespace: "default", episode }));
    const headline = /<text x="16.0" y="26.0"[^>]*><title>([^<]*)<\/title>([^<]*)<\/text>/.exec(svg);
    expect(headline?.[1]).toBe(`Drainscope — prod-eu / default / episode rollout:a&lt;b&amp;c:${"x".repeat(150)}:1795326091000`);
    const shown = headline?.[2] ?? "";
    expect(shown.startsWith("Drainscope — prod-eu / default / episode rollout:a&lt;b&amp;c:xxx")).toBe(true);
    expect(shown.endsWith("xxx:1795326091000")).toBe(true);
    expect(Array.from(shown.replace(/&lt;/g, "<").replace(/&amp;/g, "&"))).toHaveLength(106);
  });

  it("keeps a short headline as it was, without a tooltip", () => {
    const svg = timelineSvg(input({ namespace: "default", service: "web" }));
    expect(svg).toContain('<text x="16.0" y="26.0" font-size="16" font-weight="bold" fill="');
    expect(svg).toMatch(/font-weight="bold" fill="[^"]+">Drainscope — prod-eu \/ default \/ service web<\/text>/);
  });
});
