/**
 * One HTTP exchange with a timeout. Network failures, timeouts, 429 and 5xx become
 * TransientError (worth retrying elsewhere); other statuses become HttpStatusError. URLs in
 * messages are masked.
 */
import { VigilError } from "../errors";
import { TransientError } from "./retry";
import { maskUrl } from "./secrets";

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

export class HttpStatusError extends VigilError {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super("HTTP_STATUS", `HTTP ${status} from ${maskUrl(url)}: ${body.slice(0, 300)}`);
  }
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
  let res: Response;
  try {
    res = await fetch(req.url, {
      method,
      body: req.body,
      headers: { ...(req.body !== undefined ? { "content-type": "application/json" } : {}), ...req.headers },
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
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
