/**
 * Typed configuration read from the environment (`.env` through dotenv in scripts). Each bot
 * declares one config object: every key with its default and documentation; a bad value stops
 * start-up with one line naming the key, the value and the fix.
 */
import { ConfigError } from "./errors";
import { Decimal, dec } from "./math";

export type Env = Readonly<Record<string, string | undefined>>;

export interface Field<T> {
  env: string;
  default: T;
  doc: string;
  parse(raw: string): T;
  /** how the default is shown in docs */
  show?(value: T): string;
}

type Spec<T> = { [K in keyof T]: Field<T[K]> };

export function readConfig<T>(spec: Spec<T>, env: Env = process.env): T {
  const out = {} as T;
  for (const k of Object.keys(spec) as (keyof T)[]) {
    const f = spec[k];
    const raw = env[f.env];
    out[k] = raw === undefined || raw.trim() === "" ? f.default : f.parse(raw.trim());
  }
  return out;
}

/** A markdown table of a config spec, for READMEs and `--help`. */
export function describeConfig<T>(spec: Spec<T>): string {
  const rows = (Object.keys(spec) as (keyof T)[]).map((k) => {
    const f = spec[k];
    const shown = f.show ? f.show(f.default) : JSON.stringify(f.default);
    return `| \`${f.env}\` | ${shown} | ${f.doc} |`;
  });
  return ["| key | default | meaning |", "|---|---|---|", ...rows].join("\n");
}

export const field = {
  decimal(env: string, def: string, doc: string, opts: { min?: string; max?: string } = {}): Field<Decimal> {
    return {
      env,
      doc,
      default: dec(def),
      show: (v) => v.toFixed(),
      parse(raw) {
        let v: Decimal;
        try {
          v = dec(raw);
        } catch {
          throw new ConfigError(env, raw, "expected a decimal number such as 2 or 0.06");
        }
        if (!v.isFinite()) throw new ConfigError(env, raw, "expected a finite decimal number");
        if (opts.min !== undefined && v.lt(opts.min)) throw new ConfigError(env, raw, `must be at least ${opts.min}`);
        if (opts.max !== undefined && v.gt(opts.max)) throw new ConfigError(env, raw, `must be at most ${opts.max}`);
        return v;
      },
    };
  },
  int(env: string, def: number, doc: string, opts: { min?: number; max?: number } = {}): Field<number> {
    return {
      env,
      doc,
      default: def,
      parse(raw) {
        if (!/^-?\d+$/.test(raw)) throw new ConfigError(env, raw, "expected a whole number");
        const v = Number(raw);
        if (opts.min !== undefined && v < opts.min) throw new ConfigError(env, raw, `must be at least ${opts.min}`);
        if (opts.max !== undefined && v > opts.max) throw new ConfigError(env, raw, `must be at most ${opts.max}`);
        return v;
      },
    };
  },
  bool(env: string, def: boolean, doc: string): Field<boolean> {
    return {
      env,
      doc,
      default: def,
      parse(raw) {
        if (/^(1|true|yes|on)$/i.test(raw)) return true;
        if (/^(0|false|no|off)$/i.test(raw)) return false;
        throw new ConfigError(env, raw, "expected true or false");
      },
    };
  },
  string(env: string, def: string, doc: string): Field<string> {
    return { env, doc, default: def, parse: (raw) => raw };
  },
  address(env: string, def: string, doc: string): Field<string> {
    return { env, doc, default: def.toLowerCase(), parse: (raw) => parseAddress(env, raw) };
  },
  addressList(env: string, def: string[], doc: string): Field<string[]> {
    return {
      env,
      doc,
      default: def.map((a) => a.toLowerCase()),
      show: (v) => (v.length ? v.join(",") : "(none)"),
      parse: (raw) => splitList(raw).map((a) => parseAddress(env, a)),
    };
  },
  list(env: string, def: string[], doc: string): Field<string[]> {
    return { env, doc, default: def, show: (v) => (v.length ? v.join(",") : "(none)"), parse: splitList };
  },
  /** per-key decimal overrides such as `ETH-A=0.08,WBTC-A=0.05` */
  decimalMap(env: string, doc: string): Field<Record<string, Decimal>> {
    return {
      env,
      doc,
      default: {},
      show: () => "(none)",
      parse(raw) {
        const out: Record<string, Decimal> = {};
        for (const item of splitList(raw)) {
          const m = /^([^=]+)=(.+)$/.exec(item);
          if (!m) throw new ConfigError(env, raw, "expected KEY=VALUE pairs separated by commas, e.g. ETH-A=0.08,WBTC-A=0.05");
          try {
            out[m[1]!.trim()] = dec(m[2]!.trim());
          } catch {
            throw new ConfigError(env, raw, `value for ${m[1]} is not a decimal number`);
          }
        }
        return out;
      },
    };
  },
  /** URLs that may carry API keys: never printed (see net/secrets) */
  urlList(env: string, def: string[], doc: string): Field<string[]> {
    return {
      env,
      doc,
      default: def,
      show: (v) => (v.length ? `${v.length} URL(s)` : "(none)"),
      parse(raw) {
        const urls = splitList(raw);
        for (const u of urls) {
          let ok = false;
          try {
            ok = /^https?:$/.test(new URL(u).protocol);
          } catch {
            /* handled below */
          }
          if (!ok) throw new ConfigError(env, "(redacted)", "every entry must be an http(s) URL; separate several with commas");
        }
        return urls;
      },
    };
  },
};

function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseAddress(env: string, raw: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(raw)) throw new ConfigError(env, raw, "expected a 0x-prefixed 20-byte hex address");
  return raw.toLowerCase();
}
