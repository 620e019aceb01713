/**
 * The SVG export's headline, fitted to the picture's width: a long episode id (or, failing that, the whole
 * line) loses its middle to "…", so both ends stay readable (an episode id's kind and scope at the start,
 * its time at the end) instead of the line running off the right edge. The full line stays in a tooltip.
 */
import { viewTitle, type ExportInput } from "./types";

const ELLIPSIS = "…";

/** Code points, so a character outside the BMP is never cut in half. */
function chars(s: string): string[] {
  return Array.from(s);
}

/** `s` in at most `max` characters: its middle replaced with "…" when longer. */
export function middleEllipsis(s: string, max: number): string {
  const c = chars(s);
  if (c.length <= max) return s;
  if (max <= 1) return max === 1 ? ELLIPSIS : "";
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return c.slice(0, head).join("") + ELLIPSIS + (tail > 0 ? c.slice(-tail).join("") : "");
}

/** The fewest characters an episode id is shortened to before the whole line is shortened instead. */
const MIN_EPISODE_CHARS = 16;

export interface FittedTitle {
  /** What the picture prints (plain text, escaped by the caller). */
  readonly shown: string;
  /** The whole line, unshortened. */
  readonly full: string;
}

export function fittedTitle(input: ExportInput, maxChars: number): FittedTitle {
  const line = (i: ExportInput) => `Drainscope — ${viewTitle(i)}`;
  const full = line(input);
  const over = chars(full).length - maxChars;
  if (over <= 0) return { shown: full, full };
  const episode = input.view.episode;
  if (episode) {
    const room = Math.max(MIN_EPISODE_CHARS, chars(episode).length - over);
    const shorter = line({ ...input, view: { ...input.view, episode: middleEllipsis(episode, room) } });
    return { shown: middleEllipsis(shorter, maxChars), full };
  }
  return { shown: middleEllipsis(full, maxChars), full };
}
