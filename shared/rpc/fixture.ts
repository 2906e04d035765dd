/**
 * Record and replay of JSON-RPC answers.
 *
 * RecordingTransport passes calls to a real transport and keeps every answer (results and
 * JSON-RPC errors alike). A fixture is those answers, keyed by method and parameters, with the
 * chain id and block range, in one gzip-compressed JSON file. FixtureTransport answers from it
 * with no node at all, and fails loudly, naming the request, when it has no answer.
 */
import { readFileSync, writeFileSync, mkdirSync } from "fs";
import { dirname } from "path";
import { gunzipSync, gzipSync } from "zlib";
import { VigilError } from "../errors";
import type { RpcCall, RpcOutcome, RpcTransport } from "./transport";

export const FIXTURE_FORMAT = "vigil-rpc-fixture/1";

export interface FixtureMeta {
  chainId: number;
  from: number;
  to: number;
  bots: string[];
  recordedAt: string;
  /** the bots' configuration as read during the recording (secret-looking keys left out) */
  env: Record<string, string>;
  /** the command that recorded it, with the RPC URL left out */
  command?: string;
}

export interface FixtureFile extends FixtureMeta {
  format: string;
  answers: Record<string, RpcOutcome>;
}

export function callKey(call: RpcCall): string {
  return `${call.method} ${JSON.stringify(call.params)}`;
}

export class FixtureMissError extends VigilError {
  constructor(fixture: string, call: RpcCall, meta: FixtureMeta) {
    super(
      "FIXTURE_MISS",
      `fixture ${fixture} has no answer for ${call.method} ${JSON.stringify(call.params).slice(0, 400)}: ` +
        `the code now asks the node something the recording did not. Re-record it: ` +
        `npm run record -- --rpc <URL> --range ${meta.from}..${meta.to} --out ${fixture}` +
        (meta.bots.length ? ` --bots ${meta.bots.join(",")}` : ""),
    );
  }
}

export class FixtureFormatError extends VigilError {
  constructor(path: string, problem: string) {
    super("FIXTURE_FORMAT", `${path} is not a usable Vigil fixture: ${problem}`);
  }
}

export class RecordingTransport implements RpcTransport {
  readonly answers = new Map<string, RpcOutcome>();
  constructor(private readonly inner: RpcTransport) {}
  describe(): string {
    return `recording ${this.inner.describe()}`;
  }
  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const out = await this.inner.send(calls);
    calls.forEach((c, i) => this.answers.set(callKey(c), out[i]!));
    return out;
  }
  save(path: string, meta: FixtureMeta): void {
    const file: FixtureFile = { format: FIXTURE_FORMAT, ...meta, answers: Object.fromEntries([...this.answers].sort(([a], [b]) => (a < b ? -1 : 1))) };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(JSON.stringify(file), { level: 9 }));
  }
}

export function loadFixture(path: string): FixtureFile {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new FixtureFormatError(path, `cannot read it (${(err as Error).message})`);
  }
  let parsed: FixtureFile;
  try {
    parsed = JSON.parse(gunzipSync(raw).toString("utf8")) as FixtureFile;
  } catch {
    throw new FixtureFormatError(path, "not gzip-compressed JSON (record one with npm run record)");
  }
  if (parsed.format !== FIXTURE_FORMAT) throw new FixtureFormatError(path, `format is ${String(parsed.format)}, expected ${FIXTURE_FORMAT}`);
  if (!parsed.answers || typeof parsed.answers !== "object") throw new FixtureFormatError(path, "it has no answers");
  return parsed;
}

export class FixtureTransport implements RpcTransport {
  private readonly answers: Map<string, RpcOutcome>;
  readonly meta: FixtureMeta;
  /** keys asked for, to report unused answers */
  readonly asked = new Set<string>();
  constructor(
    readonly path: string,
    file: FixtureFile = loadFixture(path),
  ) {
    this.answers = new Map(Object.entries(file.answers));
    const { answers: _a, format: _f, ...meta } = file;
    this.meta = meta;
  }
  describe(): string {
    return `fixture ${this.path}`;
  }
  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    return calls.map((c) => {
      const key = callKey(c);
      const a = this.answers.get(key);
      if (!a) throw new FixtureMissError(this.path, c, this.meta);
      this.asked.add(key);
      return a;
    });
  }
}
