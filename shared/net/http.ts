/**
 * One HTTP exchange with a timeout. Network failures, timeouts, 429 and 5xx become
 * TransientError (worth retrying elsewhere); other statuses become HttpStatusError; a request
 * that cannot even be built (a malformed URL) is an HttpRequestError, never retried. URLs in
 * messages are masked. Credentials in a URL (https://user:pass@host/...) are sent as an
 * `Authorization: Basic` header, as fetch refuses them in the URL.
 */
import { VigilError } from "../errors";
import { TransientError } from "./retry";
import { maskUrl, redact, registerSecret } from "./secrets";

export interface HttpRequest {
  url: string;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** statuses returned to the caller instead of thrown (e.g. 206/503 from /eth/v1/node/health) */
  acceptStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export class HttpStatusError extends VigilError<"HTTP_STATUS"> {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super("HTTP_STATUS", `HTTP ${status} from ${maskUrl(url)}: ${body.slice(0, 300)}`);
  }
}

/** The request could not be sent at all (e.g. a malformed URL): retrying cannot help. */
export class HttpRequestError extends VigilError<"HTTP_REQUEST"> {
  constructor(url: string, why: string) {
    super("HTTP_REQUEST", `cannot send a request to ${maskUrl(url)}: ${redact(why)}; check the URL`);
  }
}

/**
 * Split a URL's credentials off into an `Authorization: Basic` header (RFC 7617; user and
 * password percent-decoded as RFC 3986 has them in the URL). The header value is registered as
 * a secret, like the URL's credentials are. A URL without credentials comes back as it is.
 */
export function withoutCredentials(url: string): { url: string; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, headers: {} };
  }
  if (!u.username && !u.password) return { url, headers: {} };
  registerSecret(url);
  const token = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`, "utf8").toString("base64");
  registerSecret(token);
  u.username = "";
  u.password = "";
  return { url: u.toString(), headers: { authorization: `Basic ${token}` } };
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const method = req.method ?? (req.body === undefined ? "GET" : "POST");
  const target = withoutCredentials(req.url);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method,
      body: req.body,
      headers: { ...(req.body !== undefined ? { "content-type": "application/json" } : {}), ...target.headers, ...req.headers },
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    // undici reports every network failure as "fetch failed" (the reason in `cause`); any other
    // TypeError means the request could not be built, and would fail the same way again
    if (e.name === "TypeError" && e.message !== "fetch failed") throw new HttpRequestError(req.url, e.message);
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      throw new TransientError(`no answer from ${maskUrl(req.url)} within ${req.timeoutMs} ms`, undefined, { cause: err });
    }
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? e.message;
    throw new TransientError(`cannot reach ${maskUrl(req.url)}: ${cause}`, undefined, { cause: err });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new TransientError(`connection to ${maskUrl(req.url)} broke while reading the answer`, undefined, { cause: err });
  }
  if (res.ok || req.acceptStatuses?.includes(res.status)) return { status: res.status, headers: res.headers, text };
  if (res.status === 429 || res.status >= 500 || res.status === 408) {
    throw new TransientError(
      `HTTP ${res.status} from ${maskUrl(req.url)}${res.status === 429 ? " (rate limited)" : ""}`,
      parseRetryAfter(res.headers.get("retry-after")),
    );
  }
  throw new HttpStatusError(res.status, req.url, text);
}
