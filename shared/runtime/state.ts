/**
 * Backing for `ctx.persistent(name, init)`: the objects a bot carries from block to block.
 * After each block the runtime serialises them (JSON) and stores the text with its cursor; to
 * restart or rewind it creates the bot afresh with the stored text, and `persistent` hands back
 * the restored objects instead of `init()`.
 */
import { VigilError } from "../errors";

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
    return JSON.stringify(out, (_k, v: unknown) => {
      if (typeof v === "bigint") throw new VigilError("BAD_STATE", `bot ${this.bot}: persistent state holds a bigint; store decimal strings`);
      if (v instanceof Map || v instanceof Set) throw new VigilError("BAD_STATE", `bot ${this.bot}: persistent state holds a Map/Set; use plain objects/arrays`);
      return v;
    });
  }
}
