/**
 * Canvas colours, read from the CSS design tokens (globals.css) so the swimlane follows light/dark like
 * the rest of the page. Re-read whenever the theme changes.
 */
export interface Palette {
  readonly surface: string;
  readonly sunken: string;
  readonly fg: string;
  readonly muted: string;
  readonly line: string;
  readonly accent: string;
  readonly serving: string;
  readonly prestop: string;
  readonly draining: string;
  readonly exited: string;
  readonly critical: string;
  readonly high: string;
  readonly medium: string;
  readonly gap: string;
  readonly ok: string;
  readonly dark: boolean;
}

const TOKENS: Record<Exclude<keyof Palette, "dark">, [string, string]> = {
  surface: ["--color-surface", "#ffffff"],
  sunken: ["--color-surface-sunken", "#eef0f3"],
  fg: ["--color-fg", "#14171c"],
  muted: ["--color-fg-muted", "#5a6270"],
  line: ["--color-line", "#d9dde3"],
  accent: ["--color-accent", "#0b63b6"],
  serving: ["--color-phase-serving", "#0072b2"],
  prestop: ["--color-phase-prestop", "#56b4e9"],
  draining: ["--color-phase-draining", "#cc79a7"],
  exited: ["--color-phase-exited", "#5a6270"],
  critical: ["--color-risk-critical", "#d55e00"],
  high: ["--color-risk-high", "#e69f00"],
  medium: ["--color-risk-medium", "#f0e442"],
  gap: ["--color-gap", "#9aa1ab"],
  ok: ["--color-ok", "#009e73"],
};

export function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const out: Record<string, string | boolean> = {};
  for (const [k, [v, fallback]] of Object.entries(TOKENS)) out[k] = cs.getPropertyValue(v).trim() || fallback;
  out.dark = cs.colorScheme.includes("dark") && !cs.colorScheme.includes("light") ? true : isDarkColor(String(out.surface));
  return out as unknown as Palette;
}

function isDarkColor(c: string): boolean {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? "0", 16));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0) < 128;
}

/** Calls `cb` when the OS scheme or the data-theme attribute changes. */
export function onThemeChange(cb: () => void): () => void {
  const mq = window.matchMedia("(prefers-color-scheme: dark)");
  mq.addEventListener("change", cb);
  const obs = new MutationObserver(cb);
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    mq.removeEventListener("change", cb);
    obs.disconnect();
  };
}
