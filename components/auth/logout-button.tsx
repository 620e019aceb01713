"use client";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore } from "react";

// The session cookie is HttpOnly; its companion `drainscope_login=1` only says there is one to end.
const loggedIn = () => /(?:^|;\s*)drainscope_login=1(?:;|$)/.test(document.cookie);
const noSubscription = () => () => {};

/** "Log out", shown only after a login through /login (token set); clears the cookie and returns to /login. */
export function LogoutButton() {
  const shown = useSyncExternalStore(noSubscription, loggedIn, () => false);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  if (!shown) return null;
  return (
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await fetch("/api/logout", { method: "POST" }).catch(() => undefined);
        router.push("/login");
      }}
      className="rounded border border-line px-2 py-0.5 text-xs text-fg-muted hover:border-accent disabled:opacity-50"
    >
      Log out
    </button>
  );
}
