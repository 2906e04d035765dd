/** consensus-finality configuration: every key with its default. */
import { readConfig, field, type Env } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { BEACON_TIMEOUT_FIELD, BEACON_URLS_FIELD } from "../../../shared/beacon/config";

export const CONFIG_SPEC = {
  urls: BEACON_URLS_FIELD,
  timeoutMs: BEACON_TIMEOUT_FIELD,
  leakEpochs: field.int(
    "FINALITY_LEAK_EPOCHS",
    4,
    "epochs since finalisation (current epoch - finalized epoch; 2 on a healthy chain) at which a High (P1) episode opens: the inactivity leak (MIN_EPOCHS_TO_INACTIVITY_PENALTY)",
    { min: 3 },
  ),
  criticalEpochs: field.int("FINALITY_CRITICAL_EPOCHS", 10, "epochs since finalisation at which the episode escalates to Critical (P0)", { min: 4 }),
  justificationStallEpochs: field.int(
    "JUSTIFICATION_STALL_EPOCHS",
    2,
    "epochs since the current justified checkpoint (1 on a healthy chain) at which a justification stall (Medium, P2) opens: at 2, an epoch before finality is lost (at FINALITY_LEAK_EPOCHS 4)",
    { min: 2 },
  ),
};

export type FinalityConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.criticalEpochs <= cfg.leakEpochs) {
    throw new ConfigError("FINALITY_CRITICAL_EPOCHS", String(cfg.criticalEpochs), `must be greater than FINALITY_LEAK_EPOCHS (${cfg.leakEpochs})`);
  }
  return cfg;
}
