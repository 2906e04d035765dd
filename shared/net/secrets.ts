/**
 * Secrets (RPC URLs with keys, webhook URLs, tokens) must never reach logs or findings.
 * `maskUrl` shows only scheme, host and port; `redact` replaces every registered secret, and
 * every URL's path and query, in free text such as error messages.
 */
const registered = new Set<string>();

/** Register a value that must never be printed (a full URL, a token). */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 6) return;
  registered.add(value);
  try {
    const u = new URL(value);
    // A URL's credentials, path and query are where keys live.
    // as written in the URL (percent-encoded) and as sent (decoded, in an Authorization header)
    for (const part of [u.username, u.password]) {
      if (!part) continue;
      registered.add(part);
      try {
        registered.add(decodeURIComponent(part));
      } catch {
        /* not valid percent-encoding: the raw form is registered */
      }
    }
    for (const part of u.pathname.split("/")) if (part.length >= 16) registered.add(part);
    for (const [, v] of u.searchParams) if (v.length >= 8) registered.add(v);
  } catch {
    /* not a URL: the whole value is the secret */
  }
}

/** `https://eth-mainnet.example.com/v2/KEY` -> `https://eth-mainnet.example.com/…` */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = u.pathname !== "/" || u.search || u.username || u.password;
    return `${u.protocol}//${u.host}${hidden ? "/…" : ""}`;
  } catch {
    return "(unparseable url)";
  }
}

/** Remove every registered secret and every URL's path/query from a text. */
export function redact(text: string): string {
  let out = text;
  // Longest first, so a URL is replaced before a key inside it.
  for (const s of [...registered].sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join(s.startsWith("http") ? maskUrl(s) : "***");
  }
  // a URL ends before whitespace, quotes and brackets, and does not take trailing punctuation
  return out.replace(/\b(https?|wss?):\/\/[^\s"'<>()]*[^\s"'<>().,:;]/g, (m) => maskUrl(m));
}

/** Replace the given secrets in `text` (longest first), then everything `redact` replaces. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets.filter((x): x is string => !!x && x.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(s.startsWith("http") ? maskUrl(s) : "***");
  }
  return redact(out);
}
