/**
 * multipart/form-data read as a stream (RFC 7578): parts are yielded one at a time with their body as
 * chunks, so a file part of any size flows through without the request being buffered. Each part's body
 * must be consumed (or is skipped) before the next part is read.
 */
import { HttpError } from "./respond";

export interface StreamedPart {
  /** The Content-Disposition `name`. */
  readonly field: string;
  /** The Content-Disposition `filename`, when the part is a file. */
  readonly filename?: string;
  readonly body: AsyncGenerator<Buffer>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF2 = Buffer.from("\r\n\r\n");

export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function bad(detail: string): HttpError {
  return new HttpError(400, `the upload is not valid multipart/form-data: ${detail}`);
}

/** A pull buffer over the request's chunks. */
class Bytes {
  buf: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** Reads one more chunk; false at the end of the body. */
  async more(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    this.buf = this.buf.byteLength === 0 ? Buffer.from(r.value) : Buffer.concat([this.buf, r.value]);
    return true;
  }

  /** Everything up to `delim` (which is consumed), at most `max` bytes. */
  async until(delim: Buffer, max: number, what: string): Promise<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(delim);
      if (at >= 0) {
        const out = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + delim.byteLength);
        return out;
      }
      if (this.buf.byteLength > max + delim.byteLength) throw bad(`${what} is longer than ${max} bytes`);
      if (!(await this.more())) throw bad(`the body ends inside ${what}`);
    }
  }

  /** Chunks up to `delim` (consumed), as they arrive: holds back only what could be the delimiter's start. */
  async *stream(delim: Buffer): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(delim);
      if (at >= 0) {
        if (at > 0) yield this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + delim.byteLength);
        return;
      }
      const keep = delim.byteLength - 1;
      if (this.buf.byteLength > keep) {
        const out = this.buf.subarray(0, this.buf.byteLength - keep);
        this.buf = Buffer.from(this.buf.subarray(this.buf.byteLength - keep));
        yield out;
      }
      if (!(await this.more())) throw bad("the body ends inside a part (the upload was cut off)");
    }
  }

  async need(n: number): Promise<boolean> {
    while (this.buf.byteLength < n) if (!(await this.more())) return false;
    return true;
  }
}

function dispositionParam(headers: string, key: string): string | undefined {
  const line = headers.split("\r\n").find((h) => /^content-disposition\s*:/i.test(h));
  if (!line) return undefined;
  const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(line) ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, "i").exec(line);
  return m?.[1]?.replace(/\\(.)/g, "$1");
}

export async function* multipartParts(chunks: AsyncIterable<Uint8Array>, boundary: string): AsyncGenerator<StreamedPart> {
  const bytes = new Bytes(chunks[Symbol.asyncIterator]());
  // The preamble ends with the first delimiter (which may open the body without a CRLF before it).
  await bytes.until(Buffer.from(`--${boundary}`), MAX_HEADER_BYTES, "the preamble");
  const delim = Buffer.from(`\r\n--${boundary}`);
  for (;;) {
    if (!(await bytes.need(2))) throw bad("the body ends without the closing boundary");
    const after = bytes.buf.subarray(0, 2).toString("latin1");
    if (after === "--") return; // the close delimiter; the epilogue is ignored
    bytes.buf = bytes.buf.subarray(after === "\r\n" ? 2 : 0);
    const headers = (await bytes.until(CRLF2, MAX_HEADER_BYTES, "a part's headers")).toString("utf8");
    const field = dispositionParam(headers, "name");
    if (field === undefined) throw bad("a part has no Content-Disposition name");
    const filename = dispositionParam(headers, "filename");
    const body = bytes.stream(delim);
    yield { field, ...(filename !== undefined ? { filename } : {}), body };
    // Whatever the consumer left of this part is skipped.
    for await (const skipped of body) void skipped;
  }
}
