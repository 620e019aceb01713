"use client";
/**
 * The verdict of the view on screen, with its reason when the data cannot tell (incomplete, in progress):
 * the selected episode's, else the worst of the view's (the same rule as the exports).
 */
import { VerdictBadge } from "@/components/common/badges";
import { overallVerdict } from "@/lib/export/types";
import type { TimelineDoc } from "@/lib/view/timeline-doc";

export function ViewVerdict({ doc, episode }: { readonly doc: TimelineDoc; readonly episode: string | undefined }) {
  const ep = episode ? doc.episodes.find((e) => e.id === episode) : undefined;
  const v = ep ? { verdict: ep.verdict, reason: ep.verdictReason } : overallVerdict(doc);
  return (
    <span className="flex items-center gap-1" data-testid="view-verdict">
      <VerdictBadge verdict={v.verdict} reason={v.reason} />
      {v.reason ? <span className="text-fg-muted">{v.reason}</span> : null}
    </span>
  );
}
