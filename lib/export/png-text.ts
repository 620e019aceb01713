/**
 * PNG `tEXt` chunks: the PNG export carries the same view metadata as the SVG's (range, lanes), so a
 * picture pasted into a postmortem still says exactly what it shows. Pure byte work (PNG spec §11.3.4.3):
 * Latin-1 keyword, NUL, Latin-1 text; every chunk ends with a CRC-32 of its type and data.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Error("tEXt holds Latin-1 only");
    out[i] = c;
  }
  return out;
}

function isPng(png: Uint8Array): boolean {
  return png.length >= 33 && SIGNATURE.every((b, i) => png[i] === b);
}

const u32 = (png: Uint8Array, at: number) => ((png[at] ?? 0) * 2 ** 24 + ((png[at + 1] ?? 0) << 16) + ((png[at + 2] ?? 0) << 8) + (png[at + 3] ?? 0)) >>> 0;

/** `png` with a tEXt chunk inserted right after IHDR. Text outside Latin-1 is refused (escape it first). */
export function addPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  if (!isPng(png)) throw new Error("not a PNG");
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error("a tEXt keyword is 1-79 printable Latin-1 characters");
  const ihdrEnd = 8 + 12 + u32(png, 8); // length + type + data + crc
  const data = new Uint8Array([...latin1(keyword), 0, ...latin1(text)]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(latin1("tEXt"), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, ihdrEnd), 0);
  out.set(chunk, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.length);
  return out;
}

/** Every tEXt chunk of a PNG whose CRC checks, keyword → text. */
export function readPngText(png: Uint8Array): Record<string, string> {
  if (!isPng(png)) throw new Error("not a PNG");
  const out: Record<string, string> = {};
  let at = 8;
  while (at + 12 <= png.length) {
    const len = u32(png, at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (at + 12 + len > png.length) break;
    if (type === "tEXt" && crc32(png.subarray(at + 4, at + 8 + len)) === u32(png, at + 8 + len)) {
      const data = png.subarray(at + 8, at + 8 + len);
      const nul = data.indexOf(0);
      if (nul > 0) out[String.fromCharCode(...data.subarray(0, nul))] = Array.from(data.subarray(nul + 1), (c) => String.fromCharCode(c)).join("");
    }
    if (type === "IEND") break;
    at += 12 + len;
  }
  return out;
}
