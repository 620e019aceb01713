"use client";
/**
 * The timeline document behind the page: which window to fetch, the query, the live patches in follow
 * mode, and fitting the view onto the first document when the URL named no range. How the document is
 * fetched or decoded changes here only; the page reads `doc` and `query`.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { timelineQuery } from "@/components/common/api";
import type { TimeWindow } from "@/lib/view/time-scale";
import { timelineApiQuery, type TimelineViewState } from "@/lib/view/url-state";
import type { FetchedCoverage } from "@/lib/view/viewport";
import { useLiveFollow } from "./use-live-follow";
import { useFetchWindow } from "./use-view-windows";
import type { ViewStore } from "./view-store";

export function useTimelineData(state: TimelineViewState, view: ViewStore, initialRangeGiven: boolean) {
  const fitted = useRef(initialRangeGiven);
  // Without a range in the URL the server picks it from the data (the latest episode, else the data's last
  // day): fetch without one until the view has moved onto what came back.
  // Following live, the range is the live clock's instead.
  const [dataDefault, setDataDefault] = useState(!initialRangeGiven && !state.follow);
  // What the document on screen holds: while it has all the data the view can reach, a pan or zoom
  // fetches nothing (lib/view/viewport.ts coversVisible).
  const coverage = useRef<FetchedCoverage | undefined>(undefined);
  // React sees the window only once it leaves the fetched bucket: zoom and pan frames are canvas-only.
  const bucketWindow = useFetchWindow(view, 150, coverage);
  const bucketAtFit = useRef<TimeWindow | undefined>(undefined);

  // An episode is fetched whole; otherwise a bucket-snapped window around the visible one.
  const fetchWindow = state.episode || dataDefault ? undefined : bucketWindow;
  const options = timelineQuery(timelineApiQuery(state, fetchWindow));
  const query = useQuery(options);
  const doc = query.data;
  const settled = query.isPlaceholderData ? undefined : doc;

  useEffect(() => {
    coverage.current = settled ? { range: settled.range, dataSpan: settled.dataSpan, live: settled.live } : undefined;
  }, [settled]);
  useEffect(() => {
    if (!doc || fitted.current) return;
    fitted.current = true;
    bucketAtFit.current = bucketWindow;
    view.set({ start: doc.range.from, end: doc.range.to });
  }, [doc, view, bucketWindow]);
  useEffect(() => {
    if (!dataDefault) return;
    // The server's pick is kept until the view needs data it does not hold (the fetch window moves).
    if (state.follow || (fitted.current && bucketAtFit.current && bucketWindow !== bucketAtFit.current)) setDataDefault(false);
  }, [dataDefault, bucketWindow, state.follow]);

  // Follow: SSE patches the cached document (use-live-follow.ts).
  const streamStatus = useLiveFollow(state.follow, { ...(state.cluster ? { cluster: state.cluster } : {}), ...(state.namespace ? { namespace: state.namespace } : {}) }, options.queryKey);

  return { doc, query, streamStatus };
}
