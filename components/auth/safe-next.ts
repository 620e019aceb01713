/** Where to go after logging in: a path on this site only (never `//host` or an absolute URL). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
