import { describe, expect, it } from "vitest";
import { terminalSafe } from "./terminal-safe";

describe("terminalSafe", () => {
  it("removes an OSC title sequence ended by BEL and a clear-screen CSI", () => {
    expect(terminalSafe("web-\x1b]0;evil\x07abc")).toBe("web-abc");
    expect(terminalSafe("Killing\x1b[2J container")).toBe("Killing container");
    expect(terminalSafe("\x1b[1;31mred\x1b[0m")).toBe("red");
  });

  it("removes an OSC ended by ST, an unterminated OSC to the end, and a two-byte escape", () => {
    expect(terminalSafe("a\x1b]8;;http://x\x1b\\b")).toBe("ab");
    expect(terminalSafe("a\x1b]0;evil")).toBe("a");
    expect(terminalSafe("a\x1bcb")).toBe("ab");
    expect(terminalSafe("trailing\x1b")).toBe("trailing");
  });

  it("replaces other C0 controls, DEL and C1 controls, keeping newline and tab", () => {
    expect(terminalSafe("a\rb\x08c\x00d\x7fe\x9b2Jf\x85g")).toBe("a\ufffdb\ufffdc\ufffdd\ufffde\ufffd2Jf\ufffdg");
    expect(terminalSafe("line 1\n\tline 2\n")).toBe("line 1\n\tline 2\n");
  });

  it("leaves ordinary text, including non-ASCII, unchanged", () => {
    const s = "web-5984d6875f-f8f44 ±1s ≈ ~ — ü 日本";
    expect(terminalSafe(s)).toBe(s);
  });
});
