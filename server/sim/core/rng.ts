/**
 * Seeded randomness. Every random choice the simulator makes (uids, name suffixes, jitter) comes from a
 * stream forked off one seed by a label, so adding randomness in one component never shifts another's.
 */

/** Alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number;
  /** A random RFC 4122 version-4 UUID. */
  uuid(): string;
  /** `n` lowercase hex digits. */
  hex(n: number): string;
  /** A Kubernetes-style generated-name suffix (`generateName` uses 5). */
  nameSuffix(n?: number): string;
  /** An independent stream derived from this one's seed and `label`. */
  fork(label: string): Rng;
}

/** FNV-1a 32-bit. Also used for pod-template-hash, as Kubernetes does. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class SeededRng implements Rng {
  private readonly draw: () => number;

  constructor(private readonly seed: number) {
    this.draw = mulberry32(seed);
  }

  next(): number {
    return this.draw();
  }

  int(n: number): number {
    return Math.floor(this.draw() * n);
  }

  between(lo: number, hi: number): number {
    return lo + this.draw() * (hi - lo);
  }

  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += this.int(16).toString(16);
    return out;
  }

  uuid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[this.int(4)] ?? "8";
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  nameSuffix(n = 5): string {
    let out = "";
    for (let i = 0; i < n; i++) out += NAME_ALPHABET[this.int(NAME_ALPHABET.length)] ?? "x";
    return out;
  }

  fork(label: string): Rng {
    return new SeededRng(fnv1a32(label, this.seed ^ 0x9e3779b9));
  }
}

export function createRng(seed: number): Rng {
  return new SeededRng(Math.floor(seed) >>> 0);
}

/** Encode a number the way Kubernetes' rand.SafeEncodeString does for pod-template-hash. */
export function safeEncode(value: number): string {
  const digits = String(value >>> 0);
  let out = "";
  for (let i = 0; i < digits.length; i++) out += NAME_ALPHABET[digits.charCodeAt(i) % NAME_ALPHABET.length] ?? "x";
  return out;
}
