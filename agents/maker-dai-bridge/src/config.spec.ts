import { BotDisabledError } from "../../../shared/bot";
import { ConfigError } from "../../../shared/errors";
import { isSecretKey } from "../../../shared/testing/replay";
import { DEFAULT_L2_DAI, domainConfig, domainKeys, loadConfig } from "./config";

describe("maker-dai-bridge configuration", () => {
  it("is off (BotDisabledError) when no domain is configured", () => {
    expect(() => loadConfig({})).toThrow(BotDisabledError);
    expect(() => loadConfig({ DAI_BRIDGE_DOMAINS: " " })).toThrow(/DAI_BRIDGE_DOMAINS is not set/);
  });

  it("reads each domain's keys with mainnet defaults", () => {
    const cfg = loadConfig({ DAI_BRIDGE_DOMAINS: "Optimism, arbitrum", DAI_BRIDGE_OPTIMISM_RPC_URL: "https://op.example/KEY1", DAI_BRIDGE_ARBITRUM_RPC_URL: "https://a.example/x,https://b.example/y" });
    expect(cfg.domainConfigs).toEqual([
      { name: "optimism", urls: ["https://op.example/KEY1"], escrowKey: "OPTIMISM_ESCROW", l1TokenKey: "MCD_DAI", l2Token: DEFAULT_L2_DAI, chainId: 10 },
      { name: "arbitrum", urls: ["https://a.example/x", "https://b.example/y"], escrowKey: "ARBITRUM_ESCROW", l1TokenKey: "MCD_DAI", l2Token: DEFAULT_L2_DAI, chainId: 42161 },
    ]);
    expect(cfg.interval).toBe(25);
    expect(cfg.l2Tag).toBe("latest");
  });

  it("lets a domain name another escrow, token, L2 token and chain id (e.g. a USDS bridge)", () => {
    const d = domainConfig("base", {
      DAI_BRIDGE_BASE_RPC_URL: "http://127.0.0.1:9545",
      DAI_BRIDGE_BASE_L1_ASSET: "USDS",
      DAI_BRIDGE_BASE_L2_ASSET: "0x820C137fa70C8691f0e44Dc420a5e53c168921Dc",
      DAI_BRIDGE_BASE_CHAIN_ID: "8453",
    });
    expect(d).toEqual({ name: "base", urls: ["http://127.0.0.1:9545"], escrowKey: "BASE_ESCROW", l1TokenKey: "USDS", l2Token: "0x820c137fa70c8691f0e44dc420a5e53c168921dc", chainId: 8453 });
    expect(domainConfig("unichain", { DAI_BRIDGE_UNICHAIN_RPC_URL: "http://x.example" }).chainId).toBeNull();
  });

  it("stops start-up naming the key to set, and never prints a URL", () => {
    expect(() => loadConfig({ DAI_BRIDGE_DOMAINS: "optimism" })).toThrow(/DAI_BRIDGE_OPTIMISM_RPC_URL.*set DAI_BRIDGE_OPTIMISM_RPC_URL/);
    let err: unknown;
    try {
      loadConfig({ DAI_BRIDGE_DOMAINS: "optimism", DAI_BRIDGE_OPTIMISM_RPC_URL: "wss://secret.example/KEY123456789" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain("KEY123456789");
    expect(() => loadConfig({ DAI_BRIDGE_DOMAINS: "op-mainnet" })).toThrow(/letters and digits/);
    expect(() => loadConfig({ DAI_BRIDGE_DOMAINS: "optimism", DAI_BRIDGE_OPTIMISM_RPC_URL: "http://x.example", DAI_BRIDGE_L2_BLOCK_TAG: "pending" })).toThrow(/latest, safe or finalized/);
    expect(() => loadConfig({ DAI_BRIDGE_DOMAINS: "optimism", DAI_BRIDGE_OPTIMISM_RPC_URL: "http://x.example", DAI_BRIDGE_CRITICAL_GAP: "5" })).toThrow(/DAI_BRIDGE_CRITICAL_GAP/);
  });

  it("names its keys so that recordings keep everything but the RPC URL", () => {
    const keys = domainKeys("optimism");
    expect(Object.values(keys).filter((k) => isSecretKey(k, "0x0000000000000000000000000000000000000001"))).toEqual([keys.rpcUrl]);
  });
});
