/** Every import failure names the file, the line (1-based; 0 when the whole file is at fault) and what was expected. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = "ImportError";
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Where JSON.parse stopped, from V8's message ("… at position 123" or "… (line 4 column 2)"). */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const lc = /line (\d+) column \d+/.exec(message);
  if (lc?.[1]) return Number(lc[1]);
  const pos = /at position (\d+)/.exec(message);
  if (pos?.[1]) return lineAt(text, Number(pos[1]));
  return undefined;
}

/** The number of the last non-blank line. */
export function lastLine(text: string): number {
  const lines = text.split("\n");
  let last = lines.length;
  while (last > 1 && (lines[last - 1] ?? "").trim() === "") last--;
  return last;
}
