/**
 * maker-oracles configuration: every key with its default. Relative moves are fractions
 * (0.06 = 6%); times are seconds. Per-asset overrides are keyed by the ChainLog key without its
 * `PIP_` prefix (`ETH=0.08,WBTC=0.05`; `PIP_ETH=0.08` is accepted too).
 */
import { ConfigError } from "../../../shared/errors";
import { readConfig, field, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";
import type { Decimal } from "../../../shared/math";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  jumpThreshold: field.decimal(
    "ORACLE_JUMP_THRESHOLD",
    "0.06",
    "an OSM's queued next price differing from its current price by at least this fraction is reported (Medium); the earlier public bot used 6%",
    { min: "0.0001", max: "10" },
  ),
  jumpThresholds: field.decimalMap(
    "ORACLE_JUMP_THRESHOLDS",
    "per-asset overrides of ORACLE_JUMP_THRESHOLD, e.g. `ETH=0.08,WBTC=0.05` (asset = the PIP_ key without PIP_)",
  ),
  divergenceThreshold: field.decimal(
    "ORACLE_DIVERGENCE_THRESHOLD",
    "0.1",
    "the Median's price differing from the OSM's current price by at least this fraction opens a divergence episode (Medium)",
    { min: "0.0001", max: "10" },
  ),
  divergenceThresholds: field.decimalMap("ORACLE_DIVERGENCE_THRESHOLDS", "per-asset overrides of ORACLE_DIVERGENCE_THRESHOLD, e.g. `ETH=0.15`"),
  divergenceResolve: field.decimal(
    "ORACLE_DIVERGENCE_RESOLVE",
    "0.8",
    "an open divergence episode resolves only once the gap is below this fraction of its threshold (hysteresis against flapping)",
    { min: "0", max: "1" },
  ),
  highFactor: field.decimal(
    "ORACLE_HIGH_FACTOR",
    "2",
    "a price jump or divergence of at least this multiple of its threshold is High (12% with the 6% default)",
    { min: "1" },
  ),
  criticalFactor: field.decimal(
    "ORACLE_CRITICAL_FACTOR",
    "4",
    "a price jump or divergence of at least this multiple of its threshold is Critical (24% with the 6% default)",
    { min: "1" },
  ),
  staleGrace: field.int(
    "OSM_STALE_GRACE",
    900,
    "seconds an OSM may stay unpoked after its next poke became possible (zzz + hop) before a stale episode opens (Medium)",
    { min: 0 },
  ),
  staleHighHops: field.int("OSM_STALE_HIGH_HOPS", 1, "a stale OSM escalates to High once it is late by the grace plus this many hops (a whole poke missed)", { min: 0 }),
  staleCriticalHops: field.int(
    "OSM_STALE_CRITICAL_HOPS",
    3,
    "a stale OSM escalates to Critical once it is late by the grace plus this many hops",
    { min: 0 },
  ),
  dormantAfter: field.int(
    "OSM_DORMANT_AFTER",
    30 * 24 * 3600,
    "an OSM that was never poked, or whose last poke is older than this many seconds when the bot first sees it, is treated as retired (reported once, Info) and not checked for staleness until it is poked again",
    { min: 0 },
  ),
  scribeStaleAfter: field.int(
    "SCRIBE_STALE_AFTER",
    3 * 3600,
    "seconds since a Chronicle Scribe's last poke (its age, as the OSM reading it sees it) after which a stale-Scribe episode opens (Medium: the OSM keeps queueing that old value every hop); High at twice, Critical at four times this age",
    { min: 60 },
  ),
  lockstakeIlk: field.string(
    "LOCKSTAKE_ORACLE_ILK",
    "LSEV2-SKY-A",
    "the ilk the Spotter must price with LOCKSTAKE_ORACLE (sky.md 8.5): a Spotter `file(ilk, \"pip\", ...)` of this ilk to any other address is reported",
  ),
  trustedCallers: field.addressList(
    "ORACLE_TRUSTED_CALLERS",
    [],
    "callers trusted like governance besides MCD_PAUSE_PROXY and OSM_MOM (from the ChainLog); an oracle control from anyone else is Critical",
  ),
};

export type OraclesConfig = ReturnType<typeof loadConfig>;

function checkMap(env: string, map: Record<string, Decimal>, min: string, max: string): Record<string, Decimal> {
  const out: Record<string, Decimal> = {};
  for (const [k, v] of Object.entries(map)) {
    const asset = k.toUpperCase().replace(/^PIP_/, "");
    if (!/^[A-Z0-9_]+$/.test(asset)) throw new ConfigError(env, k, "asset names are ChainLog PIP_ suffixes such as ETH or WBTC");
    if (!v.isFinite() || v.lt(min) || v.gt(max)) throw new ConfigError(env, `${k}=${v.toFixed()}`, `each value must be between ${min} and ${max}`);
    out[asset] = v;
  }
  return out;
}

export function loadConfig(env: Env) {
  const c = readConfig(CONFIG_SPEC, env);
  if (c.criticalFactor.lt(c.highFactor)) {
    throw new ConfigError("ORACLE_CRITICAL_FACTOR", c.criticalFactor.toFixed(), `must be at least ORACLE_HIGH_FACTOR (${c.highFactor.toFixed()})`);
  }
  if (c.staleCriticalHops < c.staleHighHops) {
    throw new ConfigError("OSM_STALE_CRITICAL_HOPS", String(c.staleCriticalHops), `must be at least OSM_STALE_HIGH_HOPS (${c.staleHighHops})`);
  }
  return {
    ...c,
    jumpThresholds: checkMap("ORACLE_JUMP_THRESHOLDS", c.jumpThresholds, "0.0001", "10"),
    divergenceThresholds: checkMap("ORACLE_DIVERGENCE_THRESHOLDS", c.divergenceThresholds, "0.0001", "10"),
  };
}

/** The asset a ChainLog key prices: `PIP_ETH` -> `ETH`. */
export function assetOf(key: string): string {
  return key.replace(/^PIP_/, "");
}

/** The jump threshold for the asset of `keys` (the first key with an override wins). */
export function thresholdFor(keys: readonly string[], overrides: Record<string, Decimal>, fallback: Decimal): Decimal {
  for (const k of keys) {
    const v = overrides[assetOf(k)];
    if (v) return v;
  }
  return fallback;
}

export type Config = ReturnType<typeof loadConfig>;
