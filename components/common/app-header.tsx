import Link from "next/link";
import type { ReactNode } from "react";
import { LogoutButton } from "../auth/logout-button";
import { ThemeToggle } from "./theme-toggle";

export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="flex h-11 shrink-0 items-center gap-4 border-b border-line bg-surface px-4">
      <Link href="/" className="text-base font-semibold tracking-tight">
        Drainscope
      </Link>
      <div className="flex min-w-0 flex-1 items-center gap-3">{children}</div>
      <ThemeToggle />
      <LogoutButton />
    </header>
  );
}
