/** consensus-participation configuration: every key with its default. */
import { readConfig, field, type Env, type Field } from "../../../shared/config";
import { Decimal, dec } from "../../../shared/math";
import { ConfigError } from "../../../shared/errors";
import { BEACON_TIMEOUT_FIELD, BEACON_URLS_FIELD } from "../../../shared/beacon/config";

export const CONFIG_SPEC = {
  urls: BEACON_URLS_FIELD,
  // its reads cover every validator (about a million on mainnet): a longer default
  timeoutMs: { ...BEACON_TIMEOUT_FIELD, default: 60_000 },
  baselineEpochs: field.int(
    "PARTICIPATION_BASELINE_EPOCHS",
    10,
    "the baseline is the median target participation of the last N finalised epochs that were not themselves a drop",
    { min: 1, max: 1000 },
  ),
  baselineMinEpochs: field.int("PARTICIPATION_BASELINE_MIN_EPOCHS", 3, "drops are judged only once the baseline has this many epochs (after start-up)", { min: 1 }),
  severeDrop: field.decimal(
    "PARTICIPATION_SEVERE_DROP",
    "0.25",
    "a relative drop of target participation below the baseline of at least this fraction is Critical (P0)",
    { min: "0", max: "1" },
  ),
  noiseFloor: field.decimal(
    "PARTICIPATION_NOISE_FLOOR",
    "0.05",
    "a relative drop of at least this fraction (and below the severe one) is High (P1); smaller moves are noise",
    { min: "0", max: "1" },
  ),
  finalityThreshold: fraction(
    "PARTICIPATION_FINALITY_THRESHOLD",
    "2/3",
    "target participation below this fraction of the active stake puts finality at risk (Critical, P0); the protocol needs 2/3. A fraction (2/3) or a decimal (0.7)",
  ),
};

/** A fraction between 0 and 1 written as a/b or as a decimal; kept exact (2/3 is not 0.6667). */
function fraction(env: string, def: string, doc: string): Field<Decimal> {
  const parse = (raw: string): Decimal => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+(?:\.\d+)?))?\s*$/.exec(raw);
    const v = m ? (m[2] ? dec(m[1]!).div(dec(m[2])) : dec(m[1]!)) : undefined;
    if (!v || !v.isFinite() || v.lt(0) || v.gt(1)) throw new ConfigError(env, raw, "expected a fraction between 0 and 1, such as 2/3 or 0.7");
    return v;
  };
  return { env, doc, default: parse(def), show: () => def, parse };
}

export type ParticipationConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.noiseFloor.gt(cfg.severeDrop)) {
    throw new ConfigError("PARTICIPATION_NOISE_FLOOR", cfg.noiseFloor.toFixed(), `must not exceed PARTICIPATION_SEVERE_DROP (${cfg.severeDrop.toFixed()})`);
  }
  if (cfg.baselineMinEpochs > cfg.baselineEpochs) {
    throw new ConfigError("PARTICIPATION_BASELINE_MIN_EPOCHS", String(cfg.baselineMinEpochs), `must not exceed PARTICIPATION_BASELINE_EPOCHS (${cfg.baselineEpochs})`);
  }
  return cfg;
}
