/**
 * One HTTP POST for a channel, its answer mapped to ChannelError: 2xx is delivered; 408, 429,
 * 5xx and network failures are retryable (Retry-After honoured, in seconds or as an HTTP date);
 * any other status is final. Every message is masked: the channel's secrets (webhook URLs,
 * tokens, routing keys) never appear, and URLs show only scheme and host.
 */
import { parseRetryAfter } from "../../shared/net/http";
import { maskSecrets, maskUrl, registerSecret } from "../../shared/net/secrets";
import { ChannelError, type ChannelKind } from "./channel";

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Replace every secret in `text` (longest first) and then every URL's path and query (shared with the Forta poller). */
export { maskSecrets };

/** Register a channel's secrets with the process-wide redaction (log lines) as well. */
export function registerSecrets(secrets: readonly (string | undefined)[]): void {
  for (const s of secrets) registerSecret(s);
}

export interface ChannelPost {
  channel: string;
  kind: ChannelKind;
  url: string;
  body: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** values to mask in any error (the URL itself when it is a secret, tokens, keys) */
  secrets: readonly (string | undefined)[];
  /** some providers say how long to wait in the body (Discord `retry_after`, Telegram `parameters.retry_after`) */
  retryAfterFromBody?: (text: string) => number | undefined;
  /** a 2xx answer the provider still means as a failure (Telegram `ok: false`): return the reason */
  failureIn2xx?: (text: string) => string | undefined;
}

export interface ChannelAnswer {
  status: number;
  text: string;
  headers: Headers;
}

export async function postForChannel(p: ChannelPost): Promise<ChannelAnswer> {
  const where = `${p.kind} channel "${p.channel}"`;
  const mask = (s: string) => maskSecrets(s, [p.url, ...p.secrets]);
  let res: Response;
  try {
    res = await fetch(p.url, {
      method: "POST",
      body: p.body,
      headers: { "content-type": "application/json", "user-agent": "vigil-sink/1", ...p.headers },
      signal: AbortSignal.timeout(p.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "manual",
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      throw new ChannelError(`${where}: no answer from ${maskUrl(p.url)} within ${p.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms; will retry`, true);
    }
    if (e.name === "TypeError" && e.message !== "fetch failed") {
      throw new ChannelError(`${where}: cannot send to ${maskUrl(p.url)}: ${mask(e.message)}; check the channel's URL`, false);
    }
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new ChannelError(`${where}: cannot reach ${maskUrl(p.url)}: ${mask(String(why))}; will retry`, true);
  }
  let text = "";
  try {
    text = await res.text();
  } catch {
    throw new ChannelError(`${where}: connection to ${maskUrl(p.url)} broke while reading the answer (HTTP ${res.status}); will retry`, true, undefined, res.status);
  }
  const snippet = mask(text.replace(/\s+/g, " ").slice(0, 300));
  if (res.status >= 200 && res.status < 300) {
    const failure = p.failureIn2xx?.(text);
    if (failure !== undefined) throw new ChannelError(`${where}: ${maskUrl(p.url)} refused the message: ${mask(failure)}`, false, undefined, res.status);
    return { status: res.status, text, headers: res.headers };
  }
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    const fromHeader = parseRetryAfter(res.headers.get("retry-after"));
    let fromBody: number | undefined;
    try {
      fromBody = p.retryAfterFromBody?.(text);
    } catch {
      fromBody = undefined;
    }
    const retryAfterMs = fromHeader !== undefined || fromBody !== undefined ? Math.max(fromHeader ?? 0, fromBody ?? 0) : undefined;
    const wait = retryAfterMs !== undefined ? ` (asked to wait ${Math.ceil(retryAfterMs / 1000)} s)` : "";
    const what = res.status === 429 ? "rate limited" : `HTTP ${res.status}`;
    throw new ChannelError(`${where}: ${what} by ${maskUrl(p.url)}${wait}: ${snippet}; will retry`, true, retryAfterMs, res.status);
  }
  const hint =
    res.status === 401 || res.status === 403
      ? "check the channel's credentials"
      : res.status === 404 || res.status === 410
        ? "the endpoint is gone (deleted webhook, archived channel): fix the channel's URL"
        : res.status >= 300 && res.status < 400
          ? "the URL redirects: use the final URL"
          : "the provider refused the message; retrying will not help";
  throw new ChannelError(`${where}: HTTP ${res.status} from ${maskUrl(p.url)}: ${snippet}; ${hint}`, false, undefined, res.status);
}
