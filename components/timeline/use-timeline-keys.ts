"use client";
/**
 * The timeline's keyboard: W/S zoom, A/D pan, F fit, arrows walk pods, N/P walk risk windows, X pins,
 * Enter zooms to the brush, Esc clears. One window listener; it reads the page's latest state from a ref,
 * so it is installed once.
 */
import { useEffect, useRef } from "react";
import type { LaneLayout } from "@/lib/view/lane-layout";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import type { TimelineViewState } from "@/lib/view/url-state";
import { panWindow, zoomWindow } from "@/lib/view/viewport";
import type { ViewStore } from "./view-store";

function isTyping(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName));
}

/** Enter on a focused button or link is its click: the timeline's Enter (zoom to the brush) must not swallow it. */
function activates(e: KeyboardEvent): boolean {
  return e.key === "Enter" && e.target instanceof HTMLElement && (e.target.tagName === "BUTTON" || e.target.tagName === "A");
}

export interface KeyTargets {
  readonly state: TimelineViewState;
  readonly layout: LaneLayout;
  readonly risks: readonly ViewRiskWindow[];
  readonly fit: () => void;
  readonly pickRisk: (w: ViewRiskWindow) => void;
  readonly selectPod: (uid: string | undefined) => void;
}

export function useTimelineKeys(view: ViewStore, update: (patch: Partial<TimelineViewState>) => void, current: KeyTargets): void {
  const keyState = useRef(current);
  useEffect(() => {
    keyState.current = current;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || activates(e)) return;
      const k = keyState.current;
      const w = view.get();
      const walk = <T,>(list: readonly T[], current: T | undefined, dir: number): T | undefined => {
        if (list.length === 0) return undefined;
        const i = current === undefined ? -1 : list.indexOf(current);
        return list[Math.min(list.length - 1, Math.max(0, i < 0 ? (dir > 0 ? 0 : list.length - 1) : i + dir))];
      };
      switch (e.key) {
        case "w":
        case "W":
        case "+":
        case "=":
          view.set(zoomWindow(w, 0.8));
          break;
        case "s":
        case "S":
        case "-":
          view.set(zoomWindow(w, 1.25));
          break;
        case "a":
        case "A":
        case "ArrowLeft":
          // Only when it changes: a new state object per press would re-render the page on every pan step.
          if (k.state.follow) update({ follow: false });
          view.set(panWindow(w, -0.2));
          break;
        case "d":
        case "D":
        case "ArrowRight":
          view.set(panWindow(w, 0.2));
          break;
        case "f":
        case "F":
          k.fit();
          break;
        case "ArrowDown":
        case "j":
        case "ArrowUp":
        case "k": {
          const next = walk(k.layout.podOrder, k.state.pod, e.key === "ArrowDown" || e.key === "j" ? 1 : -1);
          if (next) k.selectPod(next);
          break;
        }
        case "n":
        case "p": {
          const ids = k.risks.map((r) => r.id);
          const next = walk(ids, k.state.risk, e.key === "n" ? 1 : -1);
          const r = k.risks.find((x) => x.id === next);
          if (r) k.pickRisk(r);
          break;
        }
        case "x":
          if (k.state.pod) {
            const uid = k.state.pod;
            update({ pinned: k.state.pinned.includes(uid) ? k.state.pinned.filter((p) => p !== uid) : [...k.state.pinned, uid] });
          }
          break;
        case "Enter":
          if (k.state.brush) {
            view.set(k.state.brush);
            update({ brush: undefined });
          }
          break;
        case "Escape":
          if (k.state.pod) update({ pod: undefined });
          else if (k.state.brush) update({ brush: undefined });
          else update({ risk: undefined });
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [update, view]);
}
