/**
 * The suite's findings on the Forta network, from your own nodes: a FindingSink that publishes
 * what the runtime stores as the findings of an external bot (a v2 bot registered with
 * `external: true`: no image, its owner runs it and reports through Forta's API), so
 * subscribers in the Forta App see them like any bot's alerts.
 *
 * Forta's API (GraphQL, bearer API key): `mutation SendAlerts($alerts: [AlertRequestInput!]!)
 * { sendAlerts(alerts: $alerts) { alerts { alertHash error { code message } } } }` with one
 * `{botId, finding}` per alert; enums upper-case, empty fields left out, as the v2 SDK sends
 * them. Batches follow the SDK's limits: at most 50 findings and 5 MB per request.
 *
 * Delivery is the runtime's: a batch that fails (network, 429/5xx, an error answer, an alert
 * refused) throws, and the runtime delivers it again later. Alerts of a batch Forta took in
 * part may be sent twice; Forta names an alert by its hash, which the same finding gives again.
 */
import { VigilError } from "../errors";
import type { FindingJson } from "../findings";
import { httpRequest } from "../net/http";
import { DEFAULT_RETRY, Endpoints, withFallback, type RetryPolicy } from "../net/retry";
import { registerSecret } from "../net/secrets";
import type { FindingSink } from "../runtime/sinks";
import type { StoredFinding } from "../runtime/store";

export const FORTA_API_URL = "https://api.forta.network/graphql";
/** the v2 SDK's batch limits (shouldSubmitFindings): 50 findings or 5 MB */
export const MAX_ALERTS_PER_REQUEST = 50;
export const MAX_REQUEST_BYTES = 5_000_000;

export const SEND_ALERTS_MUTATION = `mutation SendAlerts($alerts: [AlertRequestInput!]!) {
  sendAlerts(alerts: $alerts) {
    alerts {
      alertHash
      error {
        code
        message
      }
    }
  }
}`;

export interface FortaExternalSinkOptions {
  /** the external bot's id (0x + 64 hex), from its registration */
  botId: string;
  /** Forta API key (FORTA_API_KEY); a secret, never logged */
  apiKey: string;
  /** default https://api.forta.network/graphql (FORTA_API_URL) */
  apiUrl?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
}

export class FortaApiError extends VigilError<"FORTA_API"> {
  constructor(message: string) {
    super("FORTA_API", message);
  }
}

/** The alert Forta's API takes for one stored finding (the v2 SDK's shape). */
export function alertInput(botId: string, f: StoredFinding): { botId: string; finding: Record<string, unknown> } {
  const j: FindingJson = f.finding;
  const finding: Record<string, unknown> = {
    name: j.name,
    description: j.description,
    alertId: j.alertId,
    severity: j.severity.toUpperCase(),
    type: j.type.toUpperCase(),
    metadata: j.metadata,
    addresses: j.addresses,
    uniqueKey: j.uniqueKey,
    timestamp: j.timestamp,
    source: {
      chains: [{ chainId: f.chainId }],
      blocks: [{ chainId: f.chainId, number: f.blockNumber, hash: f.blockHash }],
      ...(f.txHash ? { transactions: [{ chainId: f.chainId, hash: f.txHash }] } : {}),
    },
    private: false,
  };
  for (const k of Object.keys(finding)) {
    const v = finding[k];
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0)) delete finding[k];
  }
  return { botId, finding };
}

/** Split alerts into requests of at most 50 alerts and 5 MB. */
export function batches<T>(items: readonly T[], maxItems = MAX_ALERTS_PER_REQUEST, maxBytes = MAX_REQUEST_BYTES): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const it of items) {
    const size = Buffer.byteLength(JSON.stringify(it));
    if (size > maxBytes) throw new FortaApiError(`one finding is ${size} bytes, over the ${maxBytes} bytes Forta takes per request; shorten its metadata`);
    if (cur.length && (cur.length >= maxItems || bytes + size > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

export class FortaExternalSink implements FindingSink {
  readonly name: string;
  private readonly endpoints: Endpoints;

  constructor(private readonly o: FortaExternalSinkOptions) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(o.botId)) throw new VigilError("BAD_CONFIG", `FORTA_BOT_ID ${JSON.stringify(o.botId)} is not a bot id (0x and 64 hex digits); use the id the Forta App shows for the external bot`);
    if (!o.apiKey) throw new VigilError("BAD_CONFIG", "FORTA_API_KEY is empty; create an API key in the Forta App and set it");
    registerSecret(o.apiKey);
    this.name = `forta:${o.botId.toLowerCase()}`;
    this.endpoints = new Endpoints([o.apiUrl ?? FORTA_API_URL]);
  }

  /** From the environment: FORTA_BOT_ID, FORTA_API_KEY, FORTA_API_URL (optional). */
  static fromEnv(env: Record<string, string | undefined>): FortaExternalSink {
    return new FortaExternalSink({ botId: env.FORTA_BOT_ID ?? "", apiKey: env.FORTA_API_KEY ?? "", ...(env.FORTA_API_URL ? { apiUrl: env.FORTA_API_URL } : {}) });
  }

  async deliver(batch: readonly StoredFinding[]): Promise<void> {
    for (const chunk of batches(batch.map((f) => alertInput(this.o.botId, f)))) await this.send(chunk);
  }

  private async send(alerts: ReturnType<typeof alertInput>[]): Promise<void> {
    const body = JSON.stringify({ query: SEND_ALERTS_MUTATION, variables: { alerts } });
    const res = await withFallback(this.endpoints, `sendAlerts (${alerts.length} alerts)`, this.o.retry ?? DEFAULT_RETRY, (url) =>
      httpRequest({ url, method: "POST", body, headers: { authorization: `Bearer ${this.o.apiKey}` }, timeoutMs: this.o.timeoutMs ?? 30_000 }),
    );
    let answer: { data?: { sendAlerts?: { alerts?: { alertHash?: string; error?: { code?: string; message?: string } | null }[] } }; errors?: { message?: string }[] };
    try {
      answer = JSON.parse(res.text) as typeof answer;
    } catch {
      throw new FortaApiError(`Forta's API answered sendAlerts with something that is not JSON (${res.text.slice(0, 120)}); the batch will be sent again`);
    }
    if (answer.errors?.length) throw new FortaApiError(`Forta's API refused sendAlerts: ${answer.errors.map((e) => e.message).join("; ")}; the batch will be sent again (check FORTA_BOT_ID and FORTA_API_KEY if it persists)`);
    const results = answer.data?.sendAlerts?.alerts;
    if (!Array.isArray(results)) throw new FortaApiError("Forta's API answered sendAlerts without data.sendAlerts.alerts; the batch will be sent again");
    const refused = results.map((r, i) => ({ r, i })).filter(({ r }) => r.error);
    if (refused.length) {
      const what = refused.slice(0, 3).map(({ r, i }) => `${String(alerts[i]?.finding.alertId)}: ${r.error?.code ?? "?"} ${r.error?.message ?? ""}`.trim());
      throw new FortaApiError(`Forta's API refused ${refused.length} of ${alerts.length} alerts (${what.join("; ")}); the batch will be sent again`);
    }
  }
}
