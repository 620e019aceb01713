/**
 * Newline-delimited lines from a byte stream with a cap on one line's size, enforced while reading: a
 * line longer than `maxLineBytes` fails the stream as soon as the cap is passed, so at most about one cap
 * (plus one chunk) is ever held. readline would buffer a 600 MB line whole (and V8 cannot make a string
 * that long: `RangeError: Invalid string length`).
 */
/** The default cap on one watch line: far above any real object (etcd refuses values over 1.5 MiB). */
export const DEFAULT_MAX_WATCH_LINE_BYTES = 8 * 1024 * 1024;

/** The stream had a line over the cap: it is dropped, and (like a malformed line) the watcher relists. */
export class LineTooLongError extends Error {
  override name = "LineTooLongError";
}

const NL = 0x0a;
const CR = 0x0d;

function asBuffer(raw: Buffer | Uint8Array | string): Buffer {
  return typeof raw === "string" ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

/**
 * Yields each line (without its newline, or its CR before the newline) decoded as UTF-8; throws
 * `LineTooLongError` past the cap. A line that lies within one chunk (most of them: a 3 KB pod in a
 * 16–64 KiB network chunk) is decoded straight from that chunk; only a line that straddles chunks is
 * gathered and joined first, so a character split between two chunks is decoded whole.
 */
export async function* cappedLines(body: AsyncIterable<Buffer | Uint8Array | string>, maxLineBytes: number): AsyncGenerator<string> {
  // The start of a line that began in earlier chunks, and its size in bytes.
  let parts: Buffer[] = [];
  let size = 0;
  for await (const raw of body) {
    const chunk = asBuffer(raw);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      const end = nl === -1 ? chunk.length : nl;
      if (size + (end - start) > maxLineBytes) {
        throw new LineTooLongError(`watch line over ${maxLineBytes} bytes (DRAINSCOPE_MAX_WATCH_LINE_BYTES)`);
      }
      if (nl === -1) {
        if (end > start) {
          parts.push(chunk.subarray(start));
          size += end - start;
        }
        break;
      }
      let line: Buffer = chunk;
      let from = start;
      let to = end;
      if (size > 0) {
        parts.push(chunk.subarray(start, end));
        line = Buffer.concat(parts, size + (end - start));
        from = 0;
        to = line.length;
        parts = [];
        size = 0;
      }
      if (to > from && line[to - 1] === CR) to--;
      start = nl + 1;
      yield line.toString("utf8", from, to);
    }
  }
  if (size > 0) yield Buffer.concat(parts, size).toString("utf8");
}
