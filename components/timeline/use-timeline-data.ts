"use client";
/**
 * The timeline document behind the page: which window to fetch, the query, the live patches in follow
 * mode, and fitting the view onto the first document when the URL named no range. How the document is
 * fetched or decoded changes here only; the page reads `doc` and `query`.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { timelineQuery } from "@/components/common/api";
import { timelineApiQuery, type TimelineViewState } from "@/lib/view/url-state";
import { useLiveFollow } from "./use-live-follow";
import { useFetchWindow } from "./use-view-windows";
import type { ViewStore } from "./view-store";

export function useTimelineData(state: TimelineViewState, view: ViewStore, initialRangeGiven: boolean) {
  const fitted = useRef(initialRangeGiven);
  // Without a range in the URL the server picks it from the data (the latest episode, else the data's last
  // day): fetch without one until the view has moved onto what came back.
  // Following live, the range is the live clock's instead.
  const [dataDefault, setDataDefault] = useState(!initialRangeGiven && !state.follow);
  // React sees the window only once it leaves the fetched bucket: zoom and pan frames are canvas-only.
  const bucketWindow = useFetchWindow(view, 150);

  // An episode is fetched whole; otherwise a bucket-snapped window around the visible one.
  const fetchWindow = state.episode || dataDefault ? undefined : bucketWindow;
  const options = timelineQuery(timelineApiQuery(state, fetchWindow));
  const query = useQuery(options);
  const doc = query.data;

  useEffect(() => {
    if (!doc || fitted.current) return;
    fitted.current = true;
    view.set({ start: doc.range.from, end: doc.range.to });
  }, [doc, view]);
  useEffect(() => {
    if (!dataDefault) return;
    if (state.follow || (doc && fitted.current && bucketWindow.start <= doc.range.to && bucketWindow.end >= doc.range.from)) setDataDefault(false);
  }, [dataDefault, doc, bucketWindow, state.follow]);

  // Follow: SSE patches the cached document (use-live-follow.ts).
  const streamStatus = useLiveFollow(state.follow, { ...(state.cluster ? { cluster: state.cluster } : {}), ...(state.namespace ? { namespace: state.namespace } : {}) }, options.queryKey);

  return { doc, query, streamStatus };
}
