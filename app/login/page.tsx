import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { AppHeader } from "@/components/common/app-header";

export const metadata: Metadata = { title: "Log in" };

export default function LoginPage() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto w-full max-w-sm space-y-3 p-6">
        <h1 className="text-lg font-semibold">Log in</h1>
        <p className="text-sm text-fg-muted">
          This dashboard is protected by a token. Enter it once: the browser keeps it in an HttpOnly cookie for this site until you log out.
        </p>
        <Suspense fallback={<p className="text-sm text-fg-muted">Loading…</p>}>
          <LoginForm />
        </Suspense>
      </main>
    </>
  );
}
