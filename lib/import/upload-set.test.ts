import { describe, expect, it } from "vitest";
import { pickFromFolder, uploadName, uploadProblem } from "./upload-set";

const f = (name: string, size = 10, relativePath = "") => ({ name, size, relativePath });

describe("the Import panel's file set", () => {
  it("from a folder keeps the importable files in name order and reports the rest", () => {
    const r = pickFromFolder([f("pods.jsonl", 5, "roll/pods.jsonl"), f("manifest.yaml", 5, "roll/manifest.yaml"), f(".DS_Store", 5, "roll/.DS_Store"), f("events.jsonl", 5, "roll/events.jsonl")]);
    expect(r.chosen.map(uploadName)).toEqual(["roll/events.jsonl", "roll/pods.jsonl"]);
    expect(r.skipped).toEqual(["manifest.yaml"]);
  });

  it("refuses nothing, empty files, too many files and too many bytes in all, saying which", () => {
    expect(uploadProblem([])).toBe("Choose a file or a folder to import first.");
    expect(uploadProblem([f("a.jsonl"), f("b.jsonl", 0, "x/b.jsonl")])).toBe("x/b.jsonl: the file is empty; nothing was sent.");
    expect(uploadProblem(Array.from({ length: 65 }, (_, i) => f(`${i}.jsonl`)))).toBe("65 files chosen; at most 64 are imported together.");
    const MiB = 1024 * 1024;
    expect(uploadProblem([f("a.jsonl", 1.5 * MiB), f("b.jsonl", 1.5 * MiB)], 2 * MiB)).toBe(
      "These 2 files are 3,145,728 bytes (3.0 MiB), over the 2 MiB upload limit; nothing was sent. Import them on the server with `drainscope import` (no size limit) or raise DRAINSCOPE_MAX_UPLOAD_BYTES.",
    );
    expect(uploadProblem([f("a.jsonl", 600), f("b.jsonl", 400)], 1000)).toBeNull();
  });
});
