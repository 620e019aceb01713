"use client";
import { useSearchParams } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { safeNext } from "./safe-next";

type State = { kind: "idle" } | { kind: "busy" } | { kind: "error"; message: string };

/** Posts the token to /api/login (which sets an HttpOnly cookie), then opens the page that sent us here. */
export function LoginForm() {
  const next = safeNext(useSearchParams().get("next"));
  const [token, setToken] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });
  const tokenId = useId();
  const errorId = useId();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setState({ kind: "busy" });
    try {
      const r = await fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }) });
      if (r.ok) {
        // A full load, so the server renders the page with the new cookie.
        window.location.assign(next);
        return;
      }
      const body = (await r.json().catch(() => ({}))) as { error?: string };
      setState({ kind: "error", message: r.status === 401 ? "That token is not right." : (body.error ?? `login failed (${r.status})`) });
    } catch {
      setState({ kind: "error", message: "The dashboard did not answer. Is it running?" });
    }
  }

  const busy = state.kind === "busy";
  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded-md border border-line bg-surface p-4" data-testid="login-form">
      <div className="flex flex-col gap-1 text-sm">
        <label htmlFor={tokenId} className="text-fg-muted">
          Token (<code>DRAINSCOPE_AUTH_TOKEN</code>)
        </label>
        <input
          id={tokenId}
          type="password"
          value={token}
          required
          autoComplete="current-password"
          autoFocus
          spellCheck={false}
          disabled={busy}
          aria-invalid={state.kind === "error"}
          aria-describedby={state.kind === "error" ? errorId : undefined}
          onChange={(e) => setToken(e.target.value)}
          className="rounded border border-line bg-surface px-2 py-1 text-sm text-fg"
        />
      </div>
      <button
        type="submit"
        disabled={busy || token === ""}
        className="rounded border border-line bg-surface-sunken px-3 py-1 text-sm font-medium text-fg hover:border-accent disabled:cursor-not-allowed disabled:opacity-50"
      >
        {busy ? "Logging in…" : "Log in"}
      </button>
      {state.kind === "error" ? (
        <p id={errorId} role="alert" className="text-sm text-risk-critical">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
