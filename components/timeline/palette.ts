/**
 * Canvas colours, read from the CSS design tokens (globals.css) so the swimlane follows light/dark like
 * the rest of the page. Re-read whenever the theme changes.
 */
import { COLOUR_TOKENS, LIGHT_COLOURS, type ColourRole } from "@/lib/view/encoding";

/** One colour per role of the shared encoding (lib/view/encoding.ts), plus whether the theme is dark. */
export type Palette = { readonly [K in ColourRole]: string } & { readonly dark: boolean };

export function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const out: Record<string, string | boolean> = {};
  for (const k of Object.keys(COLOUR_TOKENS) as ColourRole[]) out[k] = cs.getPropertyValue(COLOUR_TOKENS[k]).trim() || LIGHT_COLOURS[k];
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
