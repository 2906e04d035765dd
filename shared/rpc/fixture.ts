/**
 * Record and replay of JSON-RPC answers, streamed: a fixture of any length records and replays
 * in constant memory.
 *
 * Format `vigil-rpc-fixture/2`: gzip-compressed JSON lines.
 *   line 1      the header: format, chain id, range, bots, configuration, command
 *   lines 2..   one line per block: `{"b": n, "a": [[key, answer], ...]}`, in increasing `b`
 * An answer belongs to the block its request is pinned to (a block by number, eth_call at a
 * block, receipts of a block, logs of a fixed range); a request pinned to no block number
 * (eth_chainId, by hash) belongs to the block being recorded when it was asked, and to `b: -1`
 * before any block was written. Lines below the range's first block (the genesis block, what
 * `initialize` reads) are kept for the whole replay; the others only while the replay is near
 * their block.
 *
 * - RecordingTransport passes calls to a real transport and writes every answer (results and
 *   JSON-RPC errors alike) as soon as its block is settled; `finish(meta)` writes the file.
 * - FixtureTransport answers from a fixture with no node at all, reading it forward as the
 *   replay advances, and fails loudly, naming the request, when it has no answer.
 * - Format 1 (one JSON object, written by earlier versions) still loads;
 *   `npm run fixture:convert -- <files>` rewrites such files as format 2.
 */
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync, type WriteStream } from "fs";
import { once } from "events";
import { dirname } from "path";
import { pipeline } from "stream/promises";
import { createGunzip, createGzip, gzipSync, type Gzip, type ZlibOptions } from "zlib";
import { VigilError } from "../errors";
import { pinnedBlock } from "./client";
import type { RpcCall, RpcOutcome, RpcTransport } from "./transport";

export const FIXTURE_FORMAT = "vigil-rpc-fixture/2";
export const FIXTURE_FORMAT_V1 = "vigil-rpc-fixture/1";

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

export interface FixtureHeader extends FixtureMeta {
  format: string;
}

/** One line of the body: a block's answers. */
interface BlockLine {
  b: number;
  a: [string, RpcOutcome][];
}

export function callKey(call: RpcCall): string {
  return `${call.method} ${JSON.stringify(call.params)}`;
}

/** The block number a request is pinned to, or undefined (chain id, by hash, "latest"). */
function blockOfCall(call: RpcCall): number | undefined {
  const p = pinnedBlock(call.method, call.params);
  return typeof p === "number" ? p : undefined;
}

export class FixtureMissError extends VigilError<"FIXTURE_MISS"> {
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

export class FixtureFormatError extends VigilError<"FIXTURE_FORMAT"> {
  constructor(path: string, problem: string) {
    super("FIXTURE_FORMAT", `${path} is not a usable Vigil fixture: ${problem}`);
  }
}

// ---- writing -------------------------------------------------------------------------------

/**
 * Blocks more than this far below the highest block asked for are written out. The runtime asks
 * a few blocks ahead (prefetch) and never far behind, except on a reorg (answers then go to the
 * next line still open, which is correct for a replay that asks in the same order).
 */
const WRITE_LAG = 8;

export class RecordingTransport implements RpcTransport {
  /** answers recorded so far */
  recorded = 0;
  /** lines written so far */
  blocksWritten = 0;
  private readonly open = new Map<number, Map<string, RpcOutcome>>();
  private writtenThrough = -Infinity;
  private highest = -Infinity;
  private readonly bodyPath: string;
  private readonly gzip: Gzip;
  private readonly file: WriteStream;
  private failed: Error | undefined;

  /** `out`: the fixture file `finish` writes (its body is streamed to `<out>.body.tmp` meanwhile) */
  constructor(
    private readonly inner: RpcTransport,
    readonly out: string,
  ) {
    mkdirSync(dirname(out), { recursive: true });
    this.bodyPath = `${out}.body.tmp`;
    this.gzip = createGzip({ level: 6 });
    this.file = createWriteStream(this.bodyPath);
    this.gzip.pipe(this.file);
    const fail = (err: Error) => void (this.failed ??= err);
    this.gzip.on("error", fail);
    this.file.on("error", fail);
  }

  describe(): string {
    return `recording ${this.inner.describe()}`;
  }

  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const out = await this.inner.send(calls);
    calls.forEach((c, i) => this.keep(c, out[i]!));
    await this.writeSettled(this.highest - WRITE_LAG);
    return out;
  }

  private keep(call: RpcCall, outcome: RpcOutcome): void {
    const pinned = blockOfCall(call);
    if (pinned !== undefined && pinned > this.highest) this.highest = pinned;
    const still = this.writtenThrough === -Infinity ? -1 : this.writtenThrough + 1;
    const line = pinned === undefined ? still : Math.max(pinned, still);
    let answers = this.open.get(line);
    if (!answers) this.open.set(line, (answers = new Map()));
    if (!answers.has(callKey(call))) this.recorded++;
    answers.set(callKey(call), outcome);
  }

  /** Write the lines of blocks <= `through`, in block order. */
  private async writeSettled(through: number): Promise<void> {
    const ready = [...this.open.keys()].filter((b) => b <= through).sort((x, y) => x - y);
    for (const b of ready) {
      const answers = this.open.get(b)!;
      this.open.delete(b);
      const line: BlockLine = { b, a: [...answers] };
      this.writtenThrough = Math.max(this.writtenThrough, b);
      this.blocksWritten++;
      if (this.failed) throw this.failed;
      if (!this.gzip.write(JSON.stringify(line) + "\n")) await once(this.gzip, "drain");
    }
  }

  /** Write what is still open and the file: the header, then the body streamed in. */
  async finish(meta: FixtureMeta): Promise<void> {
    await this.writeSettled(Infinity);
    this.gzip.end();
    await once(this.file, "close");
    if (this.failed) throw this.failed;
    const header: FixtureHeader = { format: FIXTURE_FORMAT, ...meta };
    const tmp = `${this.out}.tmp`;
    try {
      const target = createWriteStream(tmp);
      target.write(gzipSync(JSON.stringify(header) + "\n"));
      // gzip members concatenated are one gzip stream: header member, then the body's
      await pipeline(createReadStream(this.bodyPath), target);
      renameSync(tmp, this.out);
    } finally {
      rmSync(this.bodyPath, { force: true });
      rmSync(tmp, { force: true });
    }
  }

  /** Drop the recording (nothing written at `out`). */
  async abandon(): Promise<void> {
    this.gzip.end();
    await once(this.file, "close").catch(() => undefined);
    rmSync(this.bodyPath, { force: true });
  }
}

// ---- reading -------------------------------------------------------------------------------

/**
 * How much a fixture is inflated ahead of the replay: zlib works on libuv's threads while the bots
 * run, so the main thread seldom waits for it. (Node hands zlib's options on to its stream, so
 * `readableHighWaterMark` applies, though ZlibOptions does not declare it.)
 */
const READ_CHUNK = 256 * 1024;
const READ_AHEAD = 4 * 1024 * 1024;

/** Lines of a gzip file, read forward one at a time (up to READ_AHEAD bytes inflated ahead). */
class LineReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private parts: Buffer[] = [];
  private ready: string[] = [];
  private done = false;
  lineNo = 0;

  constructor(private readonly path: string) {
    const stream = createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(createGunzip({ chunkSize: READ_CHUNK, readableHighWaterMark: READ_AHEAD } as ZlibOptions));
    this.chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  async next(): Promise<string | undefined> {
    while (this.ready.length === 0 && !this.done) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.chunks.next();
      } catch (err) {
        throw new FixtureFormatError(this.path, `not gzip-compressed JSON lines (${(err as Error).message}); record one with npm run record`);
      }
      if (r.done) {
        this.done = true;
        if (this.parts.length) this.ready.push(Buffer.concat(this.parts).toString("utf8"));
        this.parts = [];
        break;
      }
      let chunk = r.value;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10)) {
        this.parts.push(chunk.subarray(0, nl));
        this.ready.push(Buffer.concat(this.parts).toString("utf8"));
        this.parts = [];
        chunk = chunk.subarray(nl + 1);
      }
      if (chunk.length) this.parts.push(chunk);
    }
    const line = this.ready.shift();
    if (line !== undefined) this.lineNo++;
    return line;
  }

  close(): void {
    void this.chunks.return?.();
  }
}

function checkHeader(path: string, line: string | undefined): { header: FixtureHeader; v1?: Record<string, RpcOutcome> } {
  if (line === undefined || line.trim() === "") throw new FixtureFormatError(path, "it is empty");
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new FixtureFormatError(path, "its first line is not JSON (record one with npm run record)");
  }
  const h = parsed as Partial<FixtureHeader> & { answers?: unknown };
  if (!h || typeof h !== "object" || Array.isArray(h)) throw new FixtureFormatError(path, "its first line is not a header object");
  if (h.format !== FIXTURE_FORMAT && h.format !== FIXTURE_FORMAT_V1) {
    throw new FixtureFormatError(path, `format is ${JSON.stringify(h.format)}, expected ${FIXTURE_FORMAT}`);
  }
  const problems: string[] = [];
  if (!Number.isInteger(h.chainId)) problems.push("chainId");
  if (!Number.isInteger(h.from) || !Number.isInteger(h.to) || h.to! < h.from!) problems.push("from/to");
  if (!Array.isArray(h.bots) || h.bots.some((b) => typeof b !== "string")) problems.push("bots");
  if (!h.env || typeof h.env !== "object") problems.push("env");
  if (problems.length) throw new FixtureFormatError(path, `its header lacks or has bad ${problems.join(", ")}; re-record it with npm run record`);
  if (h.format === FIXTURE_FORMAT_V1) {
    if (!h.answers || typeof h.answers !== "object") throw new FixtureFormatError(path, "it has no answers");
    const { answers, ...rest } = h as FixtureHeader & { answers: Record<string, RpcOutcome> };
    return { header: rest, v1: answers };
  }
  return { header: h as FixtureHeader };
}

/** The header of a fixture (reads only its first line). */
export async function readFixtureMeta(path: string): Promise<FixtureHeader> {
  const r = await openLines(path);
  r.close();
  return checkHeader(path, r.first).header;
}

async function openLines(path: string): Promise<LineReader & { first: string | undefined }> {
  try {
    if (!statSync(path).isFile()) throw new Error("not a file");
  } catch (err) {
    throw new FixtureFormatError(path, `cannot read it (${(err as Error).message})`);
  }
  const r = new LineReader(path) as LineReader & { first: string | undefined };
  r.first = await r.next();
  return r;
}

/** Blocks kept behind the highest block asked for (the RpcClient caches the recent ones itself). */
const KEEP_BEHIND = 8;
/** How far past the highest block asked for a request is looked for before it is a miss. */
const LOOK_AHEAD = 32;

export class FixtureTransport implements RpcTransport {
  readonly meta: FixtureMeta;
  readonly format: string;
  /** answers given, and lines read so far */
  readonly stats = { answered: 0, linesRead: 0, linesHeld: 0 };
  private readonly answers = new Map<string, { b: number; outcome: RpcOutcome }>();
  private readonly held = new Map<number, string[]>();
  private lastLine = -Infinity;
  private highestAsked = -Infinity;
  private eof = false;
  private reading: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    header: FixtureHeader,
    private readonly lines: LineReader | undefined,
    v1: Record<string, RpcOutcome> | undefined,
  ) {
    const { format, ...meta } = header;
    this.format = format;
    this.meta = meta;
    if (v1) for (const [k, outcome] of Object.entries(v1)) this.answers.set(k, { b: -1, outcome });
    if (!lines) this.eof = true;
  }

  /** Open a fixture (format 2 streamed, format 1 loaded whole). */
  static async open(path: string): Promise<FixtureTransport> {
    const r = await openLines(path);
    const { header, v1 } = checkHeader(path, r.first);
    if (v1) {
      r.close();
      return new FixtureTransport(path, header, undefined, v1);
    }
    return new FixtureTransport(path, header, r, undefined);
  }

  describe(): string {
    return `fixture ${this.path}`;
  }

  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    // one reader at a time: concurrent batches share the forward reading
    const run = this.reading.then(() => this.answerAll(calls));
    this.reading = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.lines?.close();
  }

  private async answerAll(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const out: RpcOutcome[] = [];
    for (const c of calls) {
      const b = blockOfCall(c);
      if (b !== undefined && b > this.highestAsked) this.highestAsked = b;
      const key = callKey(c);
      let hit = this.answers.get(key);
      // read forward until the answer turns up, or until well past where it could be
      while (!hit && !this.eof && this.lastLine <= Math.max(b ?? -Infinity, this.highestAsked, this.meta.from) + LOOK_AHEAD) {
        await this.readLine();
        hit = this.answers.get(key);
      }
      if (!hit) throw new FixtureMissError(this.path, c, this.meta);
      out.push(hit.outcome);
      this.stats.answered++;
    }
    this.forgetOld();
    return out;
  }

  /** Read the rest of the file, checking every line, holding nothing (a damaged file throws). Returns the lines read. */
  async verify(): Promise<number> {
    while (!this.eof) await this.readLine(false);
    return this.stats.linesRead;
  }

  private async readLine(hold = true): Promise<void> {
    const text = await this.lines!.next();
    if (text === undefined) {
      this.eof = true;
      return;
    }
    let line: BlockLine;
    try {
      line = JSON.parse(text) as BlockLine;
    } catch {
      throw new FixtureFormatError(this.path, `line ${this.lines!.lineNo} is not JSON (the file is damaged: re-record it)`);
    }
    if (!line || typeof line !== "object" || !Number.isInteger(line.b) || !Array.isArray(line.a)) {
      throw new FixtureFormatError(this.path, `line ${this.lines!.lineNo} is not a block's answers ({"b": n, "a": [[key, answer], ...]})`);
    }
    if (line.b < this.lastLine) throw new FixtureFormatError(this.path, `line ${this.lines!.lineNo} (block ${line.b}) comes after block ${this.lastLine}: lines must be in block order`);
    this.lastLine = line.b;
    this.stats.linesRead++;
    if (!hold) {
      for (const entry of line.a) {
        if (!Array.isArray(entry) || typeof entry[0] !== "string" || !entry[1] || typeof entry[1] !== "object") {
          throw new FixtureFormatError(this.path, `line ${this.lines!.lineNo} has an answer that is not [key, {ok, result|error}]`);
        }
      }
      return;
    }
    const keys: string[] = [];
    for (const entry of line.a) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || !entry[1] || typeof entry[1] !== "object") {
        throw new FixtureFormatError(this.path, `line ${this.lines!.lineNo} has an answer that is not [key, {ok, result|error}]`);
      }
      // an answer kept for the whole replay (below the range) stays the one given
      if ((this.answers.get(entry[0])?.b ?? Infinity) < this.meta.from) continue;
      this.answers.set(entry[0], { b: line.b, outcome: entry[1] });
      keys.push(entry[0]);
    }
    const held = this.held.get(line.b);
    if (held) held.push(...keys);
    else this.held.set(line.b, keys);
  }

  /** Drop the answers of blocks well behind the replay (never those below the range). */
  private forgetOld(): void {
    const below = this.highestAsked - KEEP_BEHIND;
    for (const [b, keys] of this.held) {
      if (b >= below || b < this.meta.from) continue;
      for (const k of keys) if (this.answers.get(k)?.b === b) this.answers.delete(k);
      this.held.delete(b);
    }
    this.stats.linesHeld = this.held.size;
  }
}

// ---- converting ----------------------------------------------------------------------------

/**
 * Rewrite a format-1 fixture (one JSON object) as format 2 (JSON lines), in place or to `out`.
 * Returns false when the file already is format 2 (after checking that every line of it reads).
 */
export async function convertFixture(path: string, out = path): Promise<boolean> {
  const src = await FixtureTransport.open(path);
  if (src.format === FIXTURE_FORMAT) {
    // already format 2: only check that the whole file reads
    try {
      await src.verify();
    } finally {
      src.close();
    }
    return false;
  }
  src.close();
  const answers = (src as unknown as { answers: Map<string, { outcome: RpcOutcome }> }).answers;
  const byBlock = new Map<number, [string, RpcOutcome][]>();
  for (const [key, { outcome }] of answers) {
    const space = key.indexOf(" ");
    const call: RpcCall = { method: key.slice(0, space), params: JSON.parse(key.slice(space + 1)) as unknown[] };
    const b = blockOfCall(call) ?? -1;
    let list = byBlock.get(b);
    if (!list) byBlock.set(b, (list = []));
    list.push([key, outcome]);
  }
  const lines = [JSON.stringify({ format: FIXTURE_FORMAT, ...src.meta })];
  for (const b of [...byBlock.keys()].sort((x, y) => x - y)) {
    lines.push(JSON.stringify({ b, a: byBlock.get(b)!.sort(([x], [y]) => (x < y ? -1 : 1)) }));
  }
  const tmp = `${out}.tmp`;
  const file = createWriteStream(tmp);
  const gz = createGzip({ level: 9 });
  const done = pipeline(gz, file);
  for (const l of lines) if (!gz.write(l + "\n")) await once(gz, "drain");
  gz.end();
  await done;
  renameSync(tmp, out);
  return true;
}
