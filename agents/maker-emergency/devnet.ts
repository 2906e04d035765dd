/**
 * maker-emergency's part of the devnet storyline. It plays last (the ESM fires and the End
 * cages the whole system, which ends most other activity), after the other bots' scenes.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import type { DevnetWorld } from "../../scripts/devnet/world";

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;

async function joinEsm(world: DevnetWorld, amount: string, who = 7): Promise<void> {
  const { l1, maker } = world;
  const signer = l1.signer(who);
  await (await maker.gov.connect(maker.deployer).transfer(await signer.getAddress(), wad(amount))).wait();
  await (await maker.gov.connect(signer)["approve(address,uint256)"](maker.esm.address, wad(amount))).wait();
  await (await maker.esm.connect(signer).join(wad(amount))).wait();
}

export const scenes: Scene[] = [
  {
    title: "governance adjusts the End's wait and grants, then revokes, a ward on the ESM",
    expects: ["MAKER-EMERGENCY-FILE", "MAKER-EMERGENCY-RIGHTS"],
    order: 900,
    async play(world) {
      const { maker, l1 } = world;
      await maker.asPauseProxy(async (proxy) => {
        await (await maker.end.connect(proxy)["file(bytes32,uint256)"](b32("wait"), 72 * 3600)).wait();
        await (await maker.esm.connect(proxy).rely(l1.accounts[8]!)).wait();
        await (await maker.esm.connect(proxy).deny(l1.accounts[8]!)).wait();
      });
    },
  },
  {
    title: "holders join the ESM until it reaches min(), then someone fires it: emergency shutdown",
    expects: ["MAKER-ESM-JOIN", "MAKER-ESM-THRESHOLD", "MAKER-ESM-FIRE", "MAKER-END-CAGE", "MAKER-ESM-DENY-PROXY", "MAKER-END-CAGE-ILK"],
    order: 1000,
    async play(world) {
      const { maker, l1 } = world;
      const min = ethers.utils.formatEther(await maker.esm.min());
      await joinEsm(world, "1"); // below the reporting size
      await joinEsm(world, (Number(min) * 0.6).toFixed(0)); // past half of min: episode opens
      await joinEsm(world, (Number(min) * 0.4).toFixed(0)); // min reached: escalates
      // once min is reached, anyone can cut the governance proxy off a contract the ESM is relied on
      await (await maker.esm.connect(l1.signer(7)).denyProxy(maker.vat.address)).wait();
      await (await maker.esm.connect(l1.signer(7)).fire()).wait();
      // settlement goes on: anyone fixes each collateral's cage price from its oracle
      await (await maker.end.connect(l1.signer(7))["cage(bytes32)"](b32("ETH-A"))).wait();
    },
  },
];
