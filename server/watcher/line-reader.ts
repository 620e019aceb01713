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

/** Yields each line (without its newline) decoded as UTF-8; throws `LineTooLongError` past the cap. */
export async function* cappedLines(body: AsyncIterable<Buffer | Uint8Array | string>, maxLineBytes: number): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const raw of body) {
    let chunk = typeof raw === "string" ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    for (;;) {
      const nl = chunk.indexOf(0x0a);
      const piece = nl === -1 ? chunk : chunk.subarray(0, nl);
      if (size + piece.length > maxLineBytes) {
        throw new LineTooLongError(`watch line over ${maxLineBytes} bytes (DRAINSCOPE_MAX_WATCH_LINE_BYTES)`);
      }
      if (nl === -1) {
        if (piece.length > 0) {
          parts.push(piece);
          size += piece.length;
        }
        break;
      }
      parts.push(piece);
      const line = Buffer.concat(parts, size + piece.length).toString("utf8");
      parts = [];
      size = 0;
      yield line.endsWith("\r") ? line.slice(0, -1) : line;
      chunk = chunk.subarray(nl + 1);
    }
  }
  if (size > 0) yield Buffer.concat(parts, size).toString("utf8");
}
