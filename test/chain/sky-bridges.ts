/**
 * Sky's LayerZero bridges over a deployed Maker + Sky system (test/chain/maker.ts, sky.ts), wired
 * like mainnet (../shared/reference/sky.md §20): USDS_OFT (USDS, peer Solana) and SUSDS_OFT (sUSDS,
 * peer Avalanche) lock on Ethereum and release on inbound messages, with per-eid inbound and
 * outbound rate limits and OFT_PAUSER as a pauser; the governance sender (LZ_GOV_SENDER) lets the
 * relay (LZ_GOV_RELAY, a ward: the pause proxy) call the remote receivers. LZ_ENDPOINT holds each
 * OApp's libraries; its default library is a ULN that emits the DVN configuration. The pause proxy
 * owns the OApps and is their delegate. Registered in the same ChainLog under those keys.
 *
 *   const br = await deploySkyBridges(chain, mk, sky);
 *   await br.bridgeOut(chain.signer(3), "usds", "1000");
 *   await br.bridgeIn("usds", someone, "1000");
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import type { SkySystem } from "./sky";
import { b32, wad } from "./units";

/** LayerZero v2 endpoint ids (mainnet): Solana, Avalanche */
export const EID = { solana: 30168, avalanche: 30106 } as const;

export interface SkyBridgeParams {
  /** per-day limits [token units], both directions: USDS_OFT to Solana (mainnet 5M), SUSDS_OFT to Avalanche */
  usdsLimit: string;
  susdsLimit: string;
  window: number;
}

export const DEFAULT_SKY_BRIDGE_PARAMS: SkyBridgeParams = { usdsLimit: "5000000", susdsLimit: "1000000", window: 86400 };

export interface SkyBridgeSystem {
  endpoint: ethers.Contract;
  uln: ethers.Contract;
  usdsOft: ethers.Contract;
  susdsOft: ethers.Contract;
  govSender: ethers.Contract;
  govRelay: ethers.Contract;
  pauser: ethers.Contract;
  /** the remote peers (bytes32) per OFT */
  peers: { usds: string; susds: string };
  addresses: Record<string, string>;
  params: SkyBridgeParams;
  /** a user bridges `amount` out (approves and sends) */
  bridgeOut(who: ethers.Signer, which: "usds" | "susds", amount: string): Promise<ethers.ContractReceipt>;
  /** a message from the remote peer releases `amount` to `to` */
  bridgeIn(which: "usds" | "susds", to: string, amount: string): Promise<ethers.ContractReceipt>;
  /** USDS locked by earlier bridge-outs, made up at once (the pause proxy exits backed USDS to the adapter) */
  seedLocked(amount: string): Promise<void>;
  /** the ULN config (DVNs) as the delegate would set it */
  ulnConfig(eid: number, requiredDVNs: string[], confirmations?: number): { eid: number; configType: number; config: string };
}

const UlnTuple = "tuple(uint64 confirmations, uint8 requiredDVNCount, uint8 optionalDVNCount, uint8 optionalDVNThreshold, address[] requiredDVNs, address[] optionalDVNs)";

export async function deploySkyBridges(chain: AnvilChain, mk: MakerSystem, sky: SkySystem, params: Partial<SkyBridgeParams> = {}): Promise<SkyBridgeSystem> {
  const p: SkyBridgeParams = { ...DEFAULT_SKY_BRIDGE_PARAMS, ...params };
  const deployer = mk.deployer;
  const d = (name: string, ...args: unknown[]) => deployContract(deployer, name, ...args);
  const proxy = mk.pauseProxy.address;

  const endpoint = await d("LzEndpointV2");
  const uln = await d("LzUln302", endpoint.address);
  await mined(endpoint.setDefaultLibrary(uln.address));
  const usdsOft = await d("SkyOFTAdapter", sky.usds.address, endpoint.address, proxy);
  const susdsOft = await d("SkyOFTAdapter", sky.susds.address, endpoint.address, proxy);
  const govSender = await d("GovernanceOAppSender", endpoint.address, proxy);
  const govRelay = await d("LzGovRelay", govSender.address);
  const pauser = await d("OftPauser");
  const peers = { usds: ethers.utils.keccak256(ethers.utils.toUtf8Bytes("solana usds oft")), susds: ethers.utils.hexZeroPad(chain.accounts[11] ?? chain.accounts[1]!, 32) };
  const govTarget = ethers.utils.keccak256(ethers.utils.toUtf8Bytes("solana governance receiver"));

  const ulnConfig = (eid: number, requiredDVNs: string[], confirmations = 15) => ({
    eid,
    configType: 2,
    config: ethers.utils.defaultAbiCoder.encode([UlnTuple], [{ confirmations, requiredDVNCount: requiredDVNs.length, optionalDVNCount: 0, optionalDVNThreshold: 0, requiredDVNs: [...requiredDVNs].sort(), optionalDVNs: [] }]),
  });
  for (const [oft, eid, peer, limit] of [[usdsOft, EID.solana, peers.usds, p.usdsLimit], [susdsOft, EID.avalanche, peers.susds, p.susdsLimit]] as const) {
    await mined(oft.setPeer(eid, peer));
    await mined(oft.setPauser(pauser.address, true));
    const rl = [{ eid, window: p.window, limit: wad(limit) }];
    await mined(oft.setRateLimits(rl, rl)); // (inbound, outbound), as SkyOFTCore
    await mined(oft.transferOwnership(proxy));
  }
  await mined(govSender.setPeer(EID.solana, govTarget));
  await mined(govSender.setCanCallTarget(govRelay.address, EID.solana, govTarget, true));
  await mined(govSender.transferOwnership(proxy));
  for (const c of [govRelay, pauser]) {
    await mined(c.rely(proxy));
    await mined(c.deny(await deployer.getAddress()));
  }
  const addresses: Record<string, string> = {
    USDS_OFT: usdsOft.address,
    SUSDS_OFT: susdsOft.address,
    OFT_PAUSER: pauser.address,
    LZ_ENDPOINT: endpoint.address,
    LZ_GOV_SENDER: govSender.address,
    LZ_GOV_RELAY: govRelay.address,
  };
  const dvns = [chain.accounts[12] ?? chain.accounts[2]!, chain.accounts[13] ?? chain.accounts[4]!];
  await mk.asPauseProxy(async (px) => {
    for (const [oft, eid] of [[usdsOft, EID.solana], [susdsOft, EID.avalanche]] as const) await mined(endpoint.connect(px).setConfig(oft.address, uln.address, [ulnConfig(eid, dvns)]));
    for (const [key, addr] of Object.entries(addresses)) await mined(mk.chainlog.connect(px).setAddress(b32(key), addr));
  });
  Object.assign(mk.addresses, addresses);
  Object.assign(sky.addresses, addresses);
  // the locked side: what has already been bridged out lies in the adapters
  const tokenOf = (which: "usds" | "susds") => (which === "usds" ? sky.usds : sky.susds);
  const oftOf = (which: "usds" | "susds") => (which === "usds" ? usdsOft : susdsOft);
  let nonce = 0;

  return {
    endpoint, uln, usdsOft, susdsOft, govSender, govRelay, pauser, peers, addresses, params: p, ulnConfig,
    async bridgeOut(who, which, amount) {
      await mined(tokenOf(which).connect(who).approve(oftOf(which).address, wad(amount)));
      const eid = which === "usds" ? EID.solana : EID.avalanche;
      return mined(oftOf(which).connect(who).send(eid, ethers.utils.hexZeroPad(await who.getAddress(), 32), wad(amount)));
    },
    async seedLocked(amount) {
      await mk.asPauseProxy(async (px) => {
        await mined(mk.vat.connect(px).suck(proxy, proxy, wad(amount).mul(ethers.BigNumber.from(10).pow(27))));
        await mined(mk.vat.connect(px).hope(sky.usdsJoin.address));
        await mined(sky.usdsJoin.connect(px).exit(usdsOft.address, wad(amount)));
      });
    },
    async bridgeIn(which, to, amount) {
      const eid = which === "usds" ? EID.solana : EID.avalanche;
      nonce += 1;
      const origin = { srcEid: eid, sender: peers[which], nonce };
      const guid = ethers.utils.keccak256(ethers.utils.defaultAbiCoder.encode(["uint32", "uint64", "address"], [eid, nonce, oftOf(which).address]));
      const message = ethers.utils.defaultAbiCoder.encode(["address", "uint256"], [to, wad(amount)]);
      return mined(endpoint.connect(deployer).deliver(oftOf(which).address, origin, guid, message, { gasLimit: 1_000_000 }));
    },
  };
}
