/**
 * `drainscope analyze` on a synthetic 5,000-pod rollout recording (one JSON watch event per line):
 * parse the file, normalize, run the engine, against bare JSON.parse of the same lines in the same
 * run. Both split the same text the same way (`split("\n")`). Wall clock, and CPU time of the whole
 * process (`process.cpuUsage()`: GC and compiler threads included), which holds up better on a shared
 * machine. `node bin/run-ts.js server/bench/analyze.ts [pods] [runs]`; run.ts uses `analyzeBench`.
 */
import { RecordingFiles } from "../../lib/recording/analyze";
import { podWatchLines } from "./watch-stream";

export interface AnalyzeFigures {
  readonly lines: number;
  readonly mib: number;
  readonly bareMs: number;
  readonly analyzeMs: number;
  /** Process CPU time (user + system) of the same runs, median. */
  readonly bareCpuMs: number;
  readonly analyzeCpuMs: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export function analyzeBench(pods: number, runs = 3): AnalyzeFigures {
  const lines = podWatchLines(pods);
  const text = lines.join("\n") + "\n";
  const bare: number[] = [];
  const full: number[] = [];
  const bareCpu: number[] = [];
  const fullCpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    let c0 = cpuMs();
    for (const l of text.split("\n")) if (l) JSON.parse(l);
    bare.push(performance.now() - t0);
    bareCpu.push(cpuMs() - c0);
    t0 = performance.now();
    c0 = cpuMs();
    // As `drainscope analyze` does (server/cli/commands/analyze.ts): one file read, then analyzed.
    const recording = new RecordingFiles("bench");
    recording.add("bench.jsonl", text);
    recording.analyze();
    full.push(performance.now() - t0);
    fullCpu.push(cpuMs() - c0);
  }
  return { lines: lines.length, mib: text.length / 2 ** 20, bareMs: median(bare), analyzeMs: median(full), bareCpuMs: median(bareCpu), analyzeCpuMs: median(fullCpu) };
}

if (process.argv[1]?.endsWith("analyze.ts")) {
  const f = analyzeBench(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 3));
  console.log(
    `${f.lines} lines (${f.mib.toFixed(1)} MiB): JSON.parse ${f.bareMs.toFixed(0)} ms; analyze ${f.analyzeMs.toFixed(0)} ms = ${(f.analyzeMs / f.bareMs).toFixed(2)}× JSON.parse` +
      ` (CPU: ${f.bareCpuMs.toFixed(0)} / ${f.analyzeCpuMs.toFixed(0)} ms = ${(f.analyzeCpuMs / f.bareCpuMs).toFixed(2)}×)`,
  );
}
