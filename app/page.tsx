import { Suspense } from "react";
import { AppHeader } from "@/components/common/app-header";
import { HomeView } from "@/components/home/home-view";
import { maxUploadBytes } from "@/server/http/import-upload";

export default function HomePage() {
  return (
    <>
      <AppHeader>
        <h1 className="sr-only">Drainscope</h1>
        <span className="truncate text-sm text-fg-muted">Pod termination timelines: every window in which traffic could reach a dead or draining pod.</span>
      </AppHeader>
      <Suspense fallback={<p className="p-6 text-sm text-fg-muted">Loading…</p>}>
        <HomeView uploadLimit={maxUploadBytes(process.env).max} />
      </Suspense>
    </>
  );
}
