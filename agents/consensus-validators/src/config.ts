/** consensus-validators configuration: every key with its default. */
import { readConfig, field, type Env, type Field } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { BEACON_TIMEOUT_FIELD, BEACON_URLS_FIELD } from "../../../shared/beacon/config";

/** Validator indices or 0x BLS public keys, comma-separated. */
function validatorSet(env: string, doc: string): Field<string[]> {
  return {
    env,
    doc,
    default: [],
    show: (v) => (v.length ? v.join(",") : "(none)"),
    parse(raw) {
      const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
      for (const it of items) {
        if (!/^(0|[1-9][0-9]*)$/.test(it) && !/^0x[0-9a-fA-F]{96}$/.test(it)) {
          throw new ConfigError(env, raw, `${JSON.stringify(it)} is neither a validator index nor a 0x-prefixed 48-byte public key`);
        }
      }
      return items.map((s) => s.toLowerCase());
    },
  };
}

export const CONFIG_SPEC = {
  urls: BEACON_URLS_FIELD,
  // its reads cover every validator (about a million on mainnet): a longer default
  timeoutMs: { ...BEACON_TIMEOUT_FIELD, default: 60_000 },
  dropFraction: field.decimal(
    "VALIDATORS_DROP_FRACTION",
    "0.01",
    "the active validator count falling by more than this fraction below its highest value in the window opens a High (P1) episode",
    { min: "0", max: "1" },
  ),
  dropWindowEpochs: field.int("VALIDATORS_DROP_WINDOW_EPOCHS", 225, "the window (epochs; 225 is about a day on mainnet) whose highest active count is the reference", {
    min: 1,
    max: 10_000,
  }),
  majorSlashingFraction: field.decimal(
    "VALIDATORS_MAJOR_SLASHING_FRACTION",
    "0.1",
    "slashings in one epoch touching more than this fraction of the active validators, or of the operator set, are High (P1); fewer are Medium (P2)",
    { min: "0", max: "1" },
  ),
  operatorSet: validatorSet(
    "VALIDATORS_OPERATOR_SET",
    "validators of an operator or staking pool to watch (indices or 0x public keys, comma-separated): slashings of more than the major fraction of them are High (P1)",
  ),
  exitBurstMin: field.int("VALIDATORS_EXIT_BURST_MIN", 8, "a burst of exits: at least this many validators initiating their exit in one epoch...", { min: 1 }),
  exitBurstFraction: field.decimal(
    "VALIDATORS_EXIT_BURST_FRACTION",
    "0.0001",
    "...and at least this fraction of the active validators (0.0001: 100 on a million)",
    { min: "0", max: "1" },
  ),
  maxBlocksPerEpoch: field.int(
    "VALIDATORS_MAX_BLOCK_READS",
    64,
    "when new slashings appear, at most this many blocks are read (since the previous check) to tell proposer from attester slashings",
    { min: 0 },
  ),
};

export type ValidatorsConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
