/**
 * Validation of findings posted to the sink: forta's Finding shape plus its source. Each
 * problem names the field (`[3].finding.severity: ...`). Severity and type are accepted by name
 * or by forta's enum number (what forta-agent's own JSON carries) and stored by name.
 */
import { FindingSeverity, FindingType } from "forta-agent";
import { VigilError } from "../../shared/errors";
import type { FindingJson } from "../../shared/findings";
import type { SourcedFinding } from "../model/notification";

export class FindingValidationError extends VigilError<"SINK_BAD_FINDING"> {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super("SINK_BAD_FINDING", `${field}: ${problem}`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value as an error shows it: its type and at most 60 characters (a value may be huge or nested deep). */
export function shown(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v !== null && typeof v === "object") return "an object";
  const text = typeof v === "string" ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v) : String(v);
  return text;
}

export { duplicateKey } from "../../shared/net/json";

function enumName(v: unknown, e: Record<string, string | number>, field: string): string {
  if (typeof v === "number" && typeof e[v] === "string") return e[v] as string;
  if (typeof v === "string" && typeof e[v] === "number") return v;
  const names = Object.keys(e).filter((k) => isNaN(Number(k)));
  throw new FindingValidationError(field, `${shown(v)} is not one of ${names.join(", ")} (or its number)`);
}

function str(o: Obj, k: string, path: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) {
    if (opts.optional) return undefined;
    throw new FindingValidationError(`${path}.${k}`, "is required (a string)");
  }
  if (typeof v !== "string") throw new FindingValidationError(`${path}.${k}`, `must be a string, got ${Array.isArray(v) ? "array" : typeof v}`);
  if (opts.max && v.length > opts.max) throw new FindingValidationError(`${path}.${k}`, `is longer than ${opts.max} characters`);
  return v;
}

function int(o: Obj, k: string, path: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new FindingValidationError(`${path}.${k}`, `must be a non-negative whole number, got ${shown(v)}`);
  return v;
}

export function validateFinding(raw: unknown, path: string): SourcedFinding {
  if (!isObj(raw)) throw new FindingValidationError(path || "body", "must be an object {bot, chainId, blockNumber, blockHash, txHash?, finding}");
  const bot = str(raw, "bot", path, { max: 200 })!;
  const chainId = int(raw, "chainId", path);
  const blockNumber = int(raw, "blockNumber", path);
  const blockHash = str(raw, "blockHash", path, { max: 100 })!;
  const txHash = str(raw, "txHash", path, { optional: true, max: 100 });
  const f = raw.finding;
  const fp = `${path}.finding`;
  if (!isObj(f)) throw new FindingValidationError(fp, "is required: forta's Finding {name, description, alertId, severity, type, metadata, addresses, uniqueKey}");
  const md = f.metadata ?? {};
  if (!isObj(md)) throw new FindingValidationError(`${fp}.metadata`, "must be an object of string values");
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(md)) {
    if (typeof v === "string") metadata[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") metadata[k] = String(v);
    else throw new FindingValidationError(`${fp}.metadata.${k}`, "must be a string");
  }
  const addresses = f.addresses ?? [];
  if (!Array.isArray(addresses) || addresses.some((a) => typeof a !== "string")) throw new FindingValidationError(`${fp}.addresses`, "must be a list of strings");
  const uniqueKey = str(f, "uniqueKey", fp, { max: 300 })!;
  if (!uniqueKey) throw new FindingValidationError(`${fp}.uniqueKey`, "must not be empty: the sink is idempotent by it");
  const timestamp = str(f, "timestamp", fp, { optional: true });
  if (timestamp !== undefined && !Number.isFinite(Date.parse(timestamp))) throw new FindingValidationError(`${fp}.timestamp`, "must be an ISO 8601 date");
  const finding: FindingJson = {
    name: str(f, "name", fp, { max: 500 })!,
    description: str(f, "description", fp, { max: 10_000 })!,
    alertId: str(f, "alertId", fp, { max: 200 })!,
    protocol: str(f, "protocol", fp, { optional: true, max: 100 }) ?? "ethereum",
    severity: enumName(f.severity, FindingSeverity as unknown as Record<string, string | number>, `${fp}.severity`) as FindingJson["severity"],
    type: enumName(f.type ?? "Info", FindingType as unknown as Record<string, string | number>, `${fp}.type`) as FindingJson["type"],
    metadata,
    addresses: (addresses as string[]).map((a) => a.toLowerCase()),
    uniqueKey,
    timestamp: timestamp ?? new Date(0).toISOString(),
  };
  return { bot, chainId, blockNumber, blockHash, ...(txHash ? { txHash } : {}), finding };
}

/** One finding or an array of them. */
export function validateBody(body: unknown, maxFindings = 5000): SourcedFinding[] {
  if (Array.isArray(body)) {
    if (body.length === 0) throw new FindingValidationError("body", "is an empty array; send one finding or a non-empty array");
    if (body.length > maxFindings) throw new FindingValidationError("body", `has ${body.length} findings; send at most ${maxFindings} per request`);
    return body.map((f, i) => validateFinding(f, `[${i}]`));
  }
  return [validateFinding(body, "body")].map((f) => f);
}
