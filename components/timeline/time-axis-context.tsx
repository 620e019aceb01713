"use client";
/**
 * The page's time axis (zone and UTC/T+0, lib/view/time-axis.ts) for the components that print times
 * (risk list, drawer, toolbar): one choice, read everywhere, no prop threading.
 */
import { createContext, useContext } from "react";
import { createTimeAxis, type TimeAxis } from "@/lib/view/time-axis";

export const TimeAxisContext = createContext<TimeAxis>(createTimeAxis("utc"));

export function useTimeAxis(): TimeAxis {
  return useContext(TimeAxisContext);
}

/** The browser's IANA zone ("UTC" when it has none to say). */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
