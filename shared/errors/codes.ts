/**
 * Every code a VigilError may carry, grouped by domain (issue 14: errors take one shape). A code
 * is stable and safe to match on (`hasCode(err, "FIXTURE_MISS")`, `e.code === ...`); a new error
 * adds its code to its domain here, so `new VigilError("TYPO", ...)` is a type error and a reader
 * finds in one page what can go wrong where. The exit codes of the CLI are not codes: they stay
 * with the commands (scripts/lib/options.ts).
 */

/** Bad configuration: stops start-up with one line naming the key, the value and the fix (shared/config.ts). */
export const CONFIG_CODES = ["CONFIG", "BAD_CONFIG"] as const;

/** HTTP and retries (shared/net). */
export const NET_CODES = ["HTTP_REQUEST", "HTTP_STATUS", "TRANSIENT", "NO_ENDPOINTS", "ALL_ENDPOINTS_FAILED"] as const;

/** JSON-RPC and contract reads (shared/rpc). */
export const RPC_CODES = ["RPC", "RPC_ERROR", "RPC_BAD_ANSWER", "CONTRACT_DECODE", "UNKNOWN_FUNCTION", "BAD_CALL_ARGS", "BAD_SLOT", "BAD_ADDRESS", "TX_NOT_FOUND"] as const;

/** Decoding ABI data: LogNotes, bytes32, storage words (shared/abi). */
export const ABI_CODES = ["NOTE_DECODE", "BAD_SIGNATURE", "BYTES32", "BAD_STORAGE_WORD"] as const;

/** The beacon node API, its event stream and the consensus bots' checks (shared/beacon). */
export const BEACON_CODES = [
  "BEACON_BAD_ANSWER",
  "BEACON_CLOCK",
  "BEACON_UNAVAILABLE",
  "CHECK_GAVE_UP",
  "EPOCH_WITHOUT_BLOCKS",
  "SSE_DISCONNECTED",
  "SSE_NO_TOPICS",
  "SSE_TOPICS_REJECTED",
] as const;

/** The ChainLog and what Maker bots read through it (shared/maker). */
export const MAKER_CODES = ["CHAINLOG", "CHAINLOG_UNKNOWN_KEY"] as const;

/** The runtime: blocks, bots, state, the ops server (shared/runtime). */
export const RUNTIME_CODES = [
  "RUNTIME_STOPPED",
  "BLOCK_UNAVAILABLE",
  "BAD_RANGE",
  "HANDLER_TIMEOUT",
  "INIT_TIMEOUT",
  "NODE_FAILED_HANDLER",
  "INTEREST_MISMATCH",
  "BAD_STATE",
  "STATE_FILE",
  "STATE_LOCKED",
  "STATE_MISMATCH",
  "UNKNOWN_BOT",
  "BAD_BOT",
  "BOT_DISABLED",
  "BOT_FAILED",
  "OPS_LISTEN",
  "SINK_UNAVAILABLE",
] as const;

/** Recorded chain data: fixtures, tapes, expectations (shared/rpc/fixture.ts, shared/testing). */
export const FIXTURE_CODES = ["FIXTURE_MISS", "FIXTURE_FORMAT", "TAPE_FORMAT", "EXPECTATION_MISMATCH"] as const;

/** Forta: the v2 entry, the external-bot sink, the API poller (shared/forta, sink/intake/forta.ts). */
export const FORTA_CODES = ["FORTA_API", "FORTA_CONFIG", "FORTA_CURSOR", "NO_PROVIDER"] as const;

/**
 * The alert sink (sink/): SINK_CHANNEL a channel the build cannot make, SINK_SEND a failed send to
 * a provider (ChannelError), SINK_HTTP / SINK_DASHBOARD a request the sink's HTTP API / dashboard
 * refuses (with its status), SINK_BAD_FINDING a posted finding that is not valid, SINK_CLI a
 * `vigil sink` command that cannot do what was asked.
 */
export const SINK_CODES = [
  "SINK_CHANNEL",
  "SINK_SEND",
  "SINK_COMMAND",
  "SINK_DB",
  "SINK_RULES",
  "SINK_SCHEMA",
  "SINK_HTTP",
  "SINK_DASHBOARD",
  "SINK_BAD_FINDING",
  "SINK_CLI",
] as const;

/** The commands (scripts/): usage, exit conditions, publishing, images, the dashboard. */
export const CLI_CODES = [
  "USAGE",
  "UNDELIVERED",
  "NO_BOT_RUNNING",
  "BAD_ARGS",
  "PUBLISH_FAILED",
  "NO_FORTA_CONFIG",
  "NO_IMAGE_REPOSITORY",
  "BAD_MANIFEST",
  "IMAGE_ENV",
  "LOCKFILE",
  "MISSING_DEPENDENCY",
  "DOCKERFILE",
  "DASHBOARD_LISTEN",
] as const;

/** The devnet (scripts/devnet, test/beacon/devnet.ts). */
export const DEVNET_CODES = ["BAD_SCENES", "SCENE_FAILED", "NO_L2_DEVNET", "BEACON_DEVNET", "NO_BEACON_DEVNET"] as const;

/** Test harnesses: anvil, solc, spells, the forta-agent CLI and images (test/, shared/testing). */
export const TEST_HARNESS_CODES = [
  "ANVIL_NOT_FOUND",
  "ANVIL_OPTION",
  "ANVIL_START",
  "ARTIFACT",
  "MAKER_DEPLOY",
  "SOLC",
  "SPELL",
  "CLI_FAILED",
  "CLI_OUTPUT",
  "CLI_TIMEOUT",
  "EVALUATE_BLOCK",
  "EVALUATE_TX",
  "IMAGE_EXITED",
  "IMAGE_NOT_READY",
  "V2_FAILED",
  "V2_OUTPUT",
  "V2_TIMEOUT",
] as const;

/** The bots' own (agents/<bot>): chain data a bot cannot make sense of. */
export const BOT_CODES = ["BAD_SALE", "PAR_ZERO", "NO_ORACLE_PRICE", "WARD_DECODE", "L2_CHAIN_MISMATCH"] as const;

export const ERROR_CODES = {
  config: CONFIG_CODES,
  net: NET_CODES,
  rpc: RPC_CODES,
  abi: ABI_CODES,
  beacon: BEACON_CODES,
  maker: MAKER_CODES,
  runtime: RUNTIME_CODES,
  fixture: FIXTURE_CODES,
  forta: FORTA_CODES,
  sink: SINK_CODES,
  cli: CLI_CODES,
  devnet: DEVNET_CODES,
  test: TEST_HARNESS_CODES,
  bot: BOT_CODES,
} as const;

export type ErrorDomain = keyof typeof ERROR_CODES;
/** The codes of one domain, e.g. `CodeOf<"rpc">`. */
export type CodeOf<D extends ErrorDomain> = (typeof ERROR_CODES)[D][number];
/** Every code a VigilError may carry. */
export type ErrorCode = CodeOf<ErrorDomain>;

const DOMAIN_OF = new Map<string, ErrorDomain>(Object.entries(ERROR_CODES).flatMap(([d, codes]) => codes.map((c) => [c, d as ErrorDomain] as const)));

/** The domain a code belongs to (for logs and metrics), or undefined for a code not listed here. */
export function domainOf(code: string): ErrorDomain | undefined {
  return DOMAIN_OF.get(code);
}
