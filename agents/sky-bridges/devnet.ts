/**
 * sky-bridges' part of the devnet storyline: bridge transfers within the limits first (quiet), then
 * governance reconfiguring the bridges (peers, limits, pausers, DVNs, libraries, remote governance),
 * a pause by OFT_PAUSER, a migration of the locked sUSDS, an inbound wave near the limit (resolved
 * when governance raises it), and an owner who is not governance setting a peer. Each change is
 * undone so later scenes find the bridges as deployed.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { skyBridgesOf } from "../../scripts/devnet/parts/sky-bridges";
import { EID } from "../../test/chain/sky-bridges";

const wad = (n: string) => ethers.utils.parseEther(n);

export const scenes: Scene[] = [
  {
    title: "bridge transfers within the limits: USDS to Solana and back, sUSDS to Avalanche and back (quiet)",
    expects: [],
    order: 53,
    async play(world) {
      const br = skyBridgesOf(world);
      const user = world.l1.signer(3);
      await br.bridgeOut(user, "usds", "10000");
      await br.bridgeIn("usds", world.l1.accounts[5]!, "6000");
      await br.bridgeOut(user, "susds", "3000");
      await br.bridgeIn("susds", world.l1.accounts[5]!, "1000");
    },
  },
  {
    title: "governance adds a peer, raises a limit, switches the limits' accounting to Gross and back, resets the outbound amount in flight, adds a pauser, changes the DVNs and the send library, allows a remote governance target and sends a call; OFT_PAUSER pauses USDS_OFT, governance unpauses; the locked sUSDS is migrated to the pause proxy",
    expects: ["SKY-LZ-PEER", "SKY-LZ-RATE-LIMIT", "SKY-LZ-PAUSER", "SKY-LZ-PAUSE", "SKY-LZ-CONFIG", "SKY-LZ-GOV-TARGET", "SKY-LZ-GOV-CALL", "SKY-LZ-MIGRATED"],
    order: 809,
    async play(world) {
      const br = skyBridgesOf(world);
      const { maker } = world;
      const other = world.l1.accounts[6]!;
      const target = ethers.utils.keccak256(ethers.utils.toUtf8Bytes("solana governance receiver"));
      await maker.asPauseProxy(async (px) => {
        await (await br.usdsOft.connect(px).setPeer(30110, ethers.utils.hexZeroPad(other, 32))).wait();
        await (await br.usdsOft.connect(px).setPeer(30110, ethers.constants.HashZero)).wait();
        await (await br.usdsOft.connect(px).setRateLimits([], [{ eid: EID.solana, window: br.params.window, limit: wad("8000000") }])).wait();
        await (await br.usdsOft.connect(px).setRateLimits([], [{ eid: EID.solana, window: br.params.window, limit: wad(br.params.usdsLimit) }])).wait();
        await (await br.usdsOft.connect(px).setRateLimitAccountingType(1)).wait();
        await (await br.usdsOft.connect(px).setRateLimitAccountingType(0)).wait();
        await (await br.usdsOft.connect(px).resetRateLimits([], [EID.solana])).wait();
        await (await br.usdsOft.connect(px).setPauser(other, true)).wait();
        await (await br.usdsOft.connect(px).setPauser(other, false)).wait();
        await (await br.pauser.connect(px).pause(br.usdsOft.address)).wait();
        await (await br.usdsOft.connect(px).unpause()).wait();
        await (await br.endpoint.connect(px).setConfig(br.usdsOft.address, br.uln.address, [br.ulnConfig(EID.solana, [other])])).wait();
        await (await br.endpoint.connect(px).setSendLibrary(br.usdsOft.address, EID.solana, br.uln.address)).wait();
        await (await br.govSender.connect(px).setCanCallTarget(other, EID.solana, target, true)).wait();
        await (await br.govSender.connect(px).setCanCallTarget(other, EID.solana, target, false)).wait();
        await (await br.govRelay.connect(px).relayRaw(EID.solana, target, "0x1234")).wait();
        await (await br.susdsOft.connect(px).migrateLockedTokens(maker.pauseProxy.address)).wait();
      });
    },
  },
  {
    title: "an inbound wave from Solana reaches 90% of USDS_OFT's inbound limit; governance raises the limit",
    expects: ["SKY-LZ-INBOUND-NEAR-LIMIT", "SKY-LZ-RATE-LIMIT"],
    order: 810,
    async play(world) {
      const br = skyBridgesOf(world);
      await br.seedLocked("4500000");
      await br.bridgeIn("usds", world.l1.accounts[5]!, "4500000");
      await world.maker.asPauseProxy(async (px) => (await br.usdsOft.connect(px).setRateLimits([{ eid: EID.solana, window: br.params.window, limit: wad("10000000") }], [])).wait());
    },
  },
  {
    title: "governance hands SUSDS_OFT to a new owner, who sets a peer of its own (Critical) and hands it back",
    expects: ["SKY-LZ-OWNER", "SKY-LZ-PEER"],
    order: 811,
    async play(world) {
      const br = skyBridgesOf(world);
      const rogue = world.l1.signer(8);
      const peer = await br.susdsOft.peers(EID.avalanche);
      await world.maker.asPauseProxy(async (px) => (await br.susdsOft.connect(px).transferOwnership(await rogue.getAddress())).wait());
      await (await br.susdsOft.connect(rogue).setPeer(EID.avalanche, ethers.utils.hexZeroPad(await rogue.getAddress(), 32))).wait();
      await (await br.susdsOft.connect(rogue).setPeer(EID.avalanche, peer)).wait();
      await (await br.susdsOft.connect(rogue).transferOwnership(world.maker.pauseProxy.address)).wait();
    },
  },
];
