/**
 * maker-dai-bridge configuration: the keys every run reads (CONFIG_SPEC, with documented
 * defaults) and the keys of each L2 domain named in DAI_BRIDGE_DOMAINS (`domainConfig`).
 * Amounts are DAI (decimal numbers).
 */
import { BotDisabledError } from "../../../shared/bot";
import { readConfig, field, type Env, type Field } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";

export const BOT = "maker-dai-bridge";

/** L2 DAI of makerdao/optimism-dai-bridge, at the same address on Optimism and Arbitrum. */
export const DEFAULT_L2_DAI = "0xda10009cbd5d07dd0cecc66161fc93d7c9000da1";

/** Chain ids of the L2s whose DAI bridge Maker runs, checked against the L2 RPC unless overridden. */
export const KNOWN_CHAIN_IDS: Readonly<Record<string, number>> = { optimism: 10, arbitrum: 42161 };

export type L2BlockTag = "latest" | "safe" | "finalized";

function blockTag(env: string, def: L2BlockTag, doc: string): Field<L2BlockTag> {
  return {
    env,
    doc,
    default: def,
    parse(raw) {
      const v = raw.toLowerCase();
      if (v !== "latest" && v !== "safe" && v !== "finalized") throw new ConfigError(env, raw, "expected latest, safe or finalized");
      return v;
    },
  };
}

function domainList(env: string, doc: string): Field<string[]> {
  return {
    env,
    doc,
    default: [],
    show: () => "(none: the bot is off)",
    parse(raw) {
      const items = raw
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const bad = items.filter((i) => !/^[a-z][a-z0-9]*$/.test(i));
      if (bad.length) throw new ConfigError(env, raw, `domain names are letters and digits, e.g. optimism,arbitrum (bad: ${bad.join(", ")})`);
      return [...new Set(items)];
    },
  };
}

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  domains: domainList(
    "DAI_BRIDGE_DOMAINS",
    "L2 domains to check, comma-separated (e.g. optimism,arbitrum); each needs DAI_BRIDGE_<DOMAIN>_RPC_URL (see the per-domain keys below). None: the bot is off for the run",
  ),
  interval: field.int(
    "DAI_BRIDGE_CHECK_INTERVAL",
    25,
    "L1 blocks between two checks of a domain (one L2 read each; 25 blocks is about 5 minutes on mainnet). DAI leaving an escrow on L1 triggers a check in that block as well",
    { min: 1 },
  ),
  tolerance: field.decimal(
    "DAI_BRIDGE_TOLERANCE",
    "10000",
    "shortfall (L2 supply minus L1 escrow balance, DAI) tolerated before an episode opens: covers deposits minted on the L2 after the L1 block read (see How it works)",
    { min: "0" },
  ),
  criticalGap: field.decimal("DAI_BRIDGE_CRITICAL_GAP", "1000000", "shortfall (DAI) from which the episode is Critical instead of High", { min: "0" }),
  confirmBlocks: field.int(
    "DAI_BRIDGE_CONFIRM_BLOCKS",
    5,
    "a shortfall seen for the first time is checked again this many L1 blocks later, and an episode opens only if it is still there (0: open at once)",
    { min: 0 },
  ),
  maxSkew: field.int(
    "DAI_BRIDGE_MAX_SKEW",
    300,
    "seconds the L2 block read may be ahead of the L1 block being handled; beyond that (a backfill of old L1 blocks) the comparison is skipped and logged, as deposits made after the L1 block may already be minted on the L2",
    { min: 0 },
  ),
  l2Tag: blockTag("DAI_BRIDGE_L2_BLOCK_TAG", "latest", "the L2 block the supply is read at: latest (fastest: sees an unbacked mint at once), safe or finalized"),
  supplyJump: field.decimal("DAI_BRIDGE_SUPPLY_JUMP", "1000000", "change of an L2's DAI supply between two checks (DAI, either direction) reported as Info", { min: "0" }),
  l2TimeoutMs: field.int("DAI_BRIDGE_L2_TIMEOUT_MS", 10_000, "timeout of one JSON-RPC request to an L2, in milliseconds (two retries follow, across the domain's URLs)", { min: 100 }),
};

export interface DomainConfig {
  /** lowercase, e.g. "optimism" */
  name: string;
  /** L2 JSON-RPC URLs, tried in order (secret: never printed) */
  urls: string[];
  /** ChainLog key of the L1 escrow, e.g. OPTIMISM_ESCROW */
  escrowKey: string;
  /** ChainLog key of the token the escrow holds on L1 (MCD_DAI) */
  l1TokenKey: string;
  /** the token on the L2 whose totalSupply must be covered */
  l2Token: string;
  /** expected L2 chain id; null: not checked */
  chainId: number | null;
}

/** The keys of one domain, for docs and errors. */
export function domainKeys(name: string) {
  const p = `DAI_BRIDGE_${name.toUpperCase()}`;
  return { rpcUrl: `${p}_RPC_URL`, escrowKey: `${p}_ESCROW`, l1TokenKey: `${p}_L1_ASSET`, l2Token: `${p}_L2_ASSET`, chainId: `${p}_CHAIN_ID` };
}

export function domainConfig(name: string, env: Env): DomainConfig {
  const k = domainKeys(name);
  const spec = {
    urls: field.urlList(k.rpcUrl, [], `JSON-RPC URL(s) of the ${name} L2`),
    escrowKey: field.string(k.escrowKey, `${name.toUpperCase()}_ESCROW`, "ChainLog key of the L1 escrow"),
    l1TokenKey: field.string(k.l1TokenKey, "MCD_DAI", "ChainLog key of the L1 token the escrow holds"),
    l2Token: field.address(k.l2Token, DEFAULT_L2_DAI, "the L2 token"),
    chainId: field.int(k.chainId, KNOWN_CHAIN_IDS[name] ?? 0, "expected L2 chain id (0: not checked)", { min: 0 }),
  };
  const c = readConfig(spec, env);
  if (c.urls.length === 0) {
    throw new ConfigError(k.rpcUrl, undefined, `DAI_BRIDGE_DOMAINS lists ${name}: set ${k.rpcUrl} to the JSON-RPC URL of that L2 (several, comma-separated, are tried in order)`);
  }
  for (const [key, v] of [[k.escrowKey, c.escrowKey], [k.l1TokenKey, c.l1TokenKey]] as const) {
    if (!/^[A-Z0-9_]+$/.test(v)) throw new ConfigError(key, v, "expected a ChainLog key such as OPTIMISM_ESCROW or MCD_DAI");
  }
  return { name, urls: c.urls, escrowKey: c.escrowKey, l1TokenKey: c.l1TokenKey, l2Token: c.l2Token, chainId: c.chainId === 0 ? null : c.chainId };
}

export type BridgeConfig = ReturnType<typeof loadConfig>;

/** The whole configuration; BotDisabledError when no domain is configured. */
export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.criticalGap.lt(cfg.tolerance)) throw new ConfigError("DAI_BRIDGE_CRITICAL_GAP", cfg.criticalGap.toFixed(), `must be at least DAI_BRIDGE_TOLERANCE (${cfg.tolerance.toFixed()})`);
  if (cfg.domains.length === 0) {
    throw new BotDisabledError(BOT, "DAI_BRIDGE_DOMAINS is not set; set it (e.g. optimism,arbitrum) with DAI_BRIDGE_<DOMAIN>_RPC_URL for each L2 to run it");
  }
  return { ...cfg, domainConfigs: cfg.domains.map((d) => domainConfig(d, env)) };
}
