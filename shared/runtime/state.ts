/**
 * Backing for `ctx.persistent(name, init)`: the objects a bot carries from block to block.
 * After each block the runtime serialises them (JSON) and stores the text with its cursor; to
 * restart or rewind it creates the bot afresh with the stored text, and `persistent` hands back
 * the restored objects instead of `init()`.
 */
import { VigilError } from "../errors";

/** how deep `serialize` walks a bot's state before it leaves the checks to JSON.stringify itself */
const MAX_DEPTH = 100;

export class BotState {
  private readonly objects = new Map<string, object>();
  private readonly restored: Record<string, unknown>;

  constructor(
    readonly bot: string,
    snapshot?: string,
  ) {
    this.restored = snapshot ? (JSON.parse(snapshot) as Record<string, unknown>) : {};
  }

  persistent<T extends object>(name: string, init: () => T): T {
    const existing = this.objects.get(name);
    if (existing) return existing as T;
    const value = name in this.restored ? (this.restored[name] as T) : init();
    if (value === null || typeof value !== "object") {
      throw new VigilError("BAD_STATE", `bot ${this.bot}: persistent("${name}") must be a JSON object or array`);
    }
    this.objects.set(name, value);
    return value;
  }

  /** JSON text of every persistent object, keys sorted so equal state gives equal text. */
  serialize(): string {
    const out: Record<string, unknown> = {};
    for (const name of [...this.objects.keys()].sort()) out[name] = this.objects.get(name);
    // a walk first, then JSON.stringify without a replacer: a replacer is a JS call per value
    // from inside the serialiser, ~2x the cost of both (the state is written after every block).
    // Deeper than the walk goes (a cycle?): the replacer, so JSON.stringify names the problem.
    if (this.plain(out, 0)) return JSON.stringify(out);
    return JSON.stringify(out, (_k, v: unknown) => {
      if (typeof v === "bigint") throw this.bigintError();
      if (v instanceof Map || v instanceof Set) throw this.mapError();
      return v;
    });
  }

  /**
   * Throws on what JSON.stringify would not keep as it is: a bigint (it throws), a Map or a Set
   * (it writes {}). False when the value nests deeper than MAX_DEPTH (a cycle, say).
   */
  private plain(v: unknown, depth: number): boolean {
    if (typeof v !== "object" || v === null) {
      if (typeof v === "bigint") throw this.bigintError();
      return true;
    }
    if (depth > MAX_DEPTH) return false;
    if (v instanceof Map || v instanceof Set) throw this.mapError();
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") return true; // a Date and the like: JSON.stringify writes what toJSON gives
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!this.plain(v[i], depth + 1)) return false;
      return true;
    }
    for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && !this.plain((v as Record<string, unknown>)[k], depth + 1)) return false;
    return true;
  }

  private bigintError(): VigilError<"BAD_STATE"> {
    return new VigilError("BAD_STATE", `bot ${this.bot}: persistent state holds a bigint; store decimal strings`);
  }

  private mapError(): VigilError<"BAD_STATE"> {
    return new VigilError("BAD_STATE", `bot ${this.bot}: persistent state holds a Map/Set; use plain objects/arrays`);
  }
}
