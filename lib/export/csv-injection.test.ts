// CSV formula injection: cluster text that a spreadsheet would run as a formula is written as text.
import { describe, expect, it } from "vitest";
import type { AnalysisWindow } from "../report/analysis-json";
import { csvField, riskWindowsCsv } from "./csv";

describe("CSV cells that start like a formula", () => {
  it.each([
    ["=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""],
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "\"'\r=1\""],
    ["=a,b", "\"'=a,b\""],
  ])("%j is written as %j", (value, expected) => expect(csvField(value)).toBe(expected));

  it.each([
    ["a=b", "a=b"],
    ["web-1", "web-1"],
    [" =1", " =1"],
    ["", ""],
  ])("%j, which does not start like one, stays %j", (value, expected) => expect(csvField(value)).toBe(expected));

  it("writes numbers as numbers, negative ones too", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField(2000)).toBe("2000");
  });

  it("prefixes a pod name and an explanation from the cluster in a whole row", () => {
    const w: AnalysisWindow = {
      id: "w1", rule: "dead-but-routed", severity: "critical", confidence: "certain",
      start: "2026-11-22T05:41:31.000Z", end: "2026-11-22T05:41:33.000Z", durationMs: 2000,
      namespace: "default", service: "web", lb: null, pods: ["=cmd|'/C calc'!A0"], podUids: ["u1"],
      explanation: "@evil", fix: "-", evidence: [],
    };
    expect(riskWindowsCsv([w]).split("\r\n")[1]).toBe(
      "w1,dead-but-routed,critical,certain,2026-11-22T05:41:31.000Z,2026-11-22T05:41:33.000Z,2000,default,web,,'=cmd|'/C calc'!A0,u1,'@evil,'-",
    );
  });
});
