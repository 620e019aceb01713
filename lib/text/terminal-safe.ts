/**
 * Text from the cluster (pod names, event messages, annotations) may carry terminal control sequences: an OSC
 * that retitles the window, a CSI that clears the screen or moves the cursor. Human-readable output (tables,
 * Markdown printed to a terminal) passes through `terminalSafe`; JSON output stays exact.
 */

// ESC-introduced sequences, removed whole: CSI (ESC [ … final byte), OSC / DCS / SOS / PM / APC strings up to
// BEL or ST (ESC \) or the end of the text, and two-byte escapes (ESC + one character).
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[\s\S]?/g;
// What is left: C0 controls except tab and newline, DEL, and C1 controls (which some terminals obey as 8-bit CSI/OSC).
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** The replacement for a lone control character: visible, one column wide. */
export const REPLACEMENT = "\ufffd";

export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, "").replace(CONTROL, REPLACEMENT);
}
