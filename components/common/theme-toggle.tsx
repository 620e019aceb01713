"use client";
import { useEffect, useSyncExternalStore } from "react";

type Theme = "system" | "light" | "dark";
const KEY = "drainscope-theme";

function read(): Theme {
  const v = document.documentElement.getAttribute("data-theme");
  return v === "light" || v === "dark" ? v : "system";
}

function subscribe(cb: () => void) {
  const obs = new MutationObserver(cb);
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => obs.disconnect();
}

/** A preference, so it lives in localStorage (not the URL); applied by setting data-theme on <html>. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, read, () => "system" as Theme);
  useEffect(() => {
    try {
      const saved = localStorage.getItem(KEY);
      if (saved === "light" || saved === "dark") document.documentElement.setAttribute("data-theme", saved);
    } catch {
      // storage disabled: follow the OS
    }
  }, []);
  const set = (t: Theme) => {
    if (t === "system") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", t);
    try {
      localStorage.setItem(KEY, t);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  };
  return (
    <label className="flex items-center gap-1 text-xs text-fg-muted">
      Theme
      <select className="rounded border border-line bg-surface px-1 py-0.5 text-fg" value={theme} onChange={(e) => set(e.target.value as Theme)} aria-label="Colour theme">
        <option value="system">system</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  );
}
