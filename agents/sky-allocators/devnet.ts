/**
 * sky-allocators' part of the devnet storyline: the Star drawing and wiping within its AutoLine
 * pacing first (quiet), then governance and the Star's own StarGuard flow changing the perimeter
 * (ilk admin, roles, role actions, registry, buffer approvals, SubProxy wards), an outsider ward
 * setting the ilk admin (Critical), StarGuard plots (one whose tag does not match), and a line
 * lifted outside the AutoLine that the Star draws into faster than the pacing (an episode,
 * resolved by a wipe). Each change is undone so later scenes find the perimeter as deployed.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { skyAllocatorsOf } from "../../scripts/devnet/parts/sky-allocators";
import { skyOf } from "../../scripts/devnet/parts/sky";
import { OPERATOR_ROLE } from "../../test/chain/sky-allocators";

const b32 = (s: string) => ethers.utils.formatBytes32String(s);
const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => ethers.utils.parseUnits(n, 45);
const mined = async (p: Promise<ethers.ContractTransaction>) => (await p).wait();

export const scenes: Scene[] = [
  {
    title: "the Star (SPARK) draws USDS from its allocator vault and wipes some, within its AutoLine pacing (quiet)",
    expects: [],
    order: 56,
    async play(world) {
      const al = skyAllocatorsOf(world);
      await al.draw("20000000");
      await al.wipe("5000000");
      await al.draw("3000000");
    },
  },
  {
    title: "governance sets ALLOCATOR-SPARK-A's admin and puts it back, re-files the registry's buffer, has the buffer approve an unknown spender and revoke it, relies and denies a stranger on SPARK_SUBPROXY; the Star's StarGuard grants a role to an unknown operator, allows a role action and revokes the role",
    expects: ["SKY-ALLOCATOR-ILK-ADMIN", "SKY-ALLOCATOR-CONFIG", "SKY-ALLOCATOR-APPROVE", "SKY-STAR-SUBPROXY-RIGHTS", "SKY-ALLOCATOR-ROLE", "SKY-ALLOCATOR-ROLE-ACTION", "SKY-STARGUARD-PLOT", "SKY-STARGUARD-EXEC"],
    order: 812,
    async play(world) {
      const al = skyAllocatorsOf(world);
      const usds = skyOf(world).usds.address;
      const stranger = world.l1.accounts[6]!;
      await world.maker.asPauseProxy(async (px) => {
        await mined(al.roles.connect(px).setIlkAdmin(al.ilk, stranger));
        await mined(al.roles.connect(px).setIlkAdmin(al.ilk, al.subProxy.address));
        await mined(al.registry.connect(px).file(al.ilk, b32("buffer"), al.buffer.address));
        await mined(al.buffer.connect(px).approve(usds, stranger, wad("1000000")));
        await mined(al.buffer.connect(px).approve(usds, stranger, 0));
        await mined(al.subProxy.connect(px).rely(stranger));
        await mined(al.subProxy.connect(px).deny(stranger));
      });
      await al.starSpell(al.roles, "setUserRole", [al.ilk, stranger, OPERATOR_ROLE, true]);
      await al.starSpell(al.roles, "setRoleAction", [al.ilk, OPERATOR_ROLE, al.buffer.address, "0x12345678", true]);
      await al.starSpell(al.roles, "setRoleAction", [al.ilk, OPERATOR_ROLE, al.buffer.address, "0x12345678", false]);
      await al.starSpell(al.roles, "setUserRole", [al.ilk, stranger, OPERATOR_ROLE, false]);
    },
  },
  {
    title: "governance makes a stranger a ward of ALLOCATOR_ROLES; the stranger makes itself ALLOCATOR-SPARK-A's admin (Critical) and puts the SubProxy back; governance denies it",
    expects: ["SKY-ALLOCATOR-ILK-ADMIN"],
    order: 813,
    async play(world) {
      const al = skyAllocatorsOf(world);
      const rogue = world.l1.signer(8);
      const me = await rogue.getAddress();
      await world.maker.asPauseProxy(async (px) => mined(al.roles.connect(px).rely(me)));
      await mined(al.roles.connect(rogue).setIlkAdmin(al.ilk, me));
      await mined(al.roles.connect(rogue).setIlkAdmin(al.ilk, al.subProxy.address));
      await world.maker.asPauseProxy(async (px) => mined(al.roles.connect(px).deny(me)));
    },
  },
  {
    title: "governance shortens SPARK_STARGUARD's maxDelay, plots a payload with a tag its code does not hash to, re-plots it correctly (dropping the first), and a keeper executes it",
    expects: ["SKY-STARGUARD-PLOT", "SKY-STARGUARD-EXEC"],
    order: 814,
    async play(world) {
      const al = skyAllocatorsOf(world);
      const p = await al.payload(al.roles, "setRoleAction", [al.ilk, OPERATOR_ROLE, al.vault.address, "0x12345678", false]);
      const tag = ethers.utils.keccak256(await world.l1.provider.getCode(p.address));
      await world.maker.asPauseProxy(async (px) => {
        await mined(al.starGuard.connect(px).file(b32("maxDelay"), 3 * 86400));
        await mined(al.starGuard.connect(px).plot(p.address, ethers.utils.keccak256("0x1234")));
        await mined(al.starGuard.connect(px).plot(p.address, tag));
        await mined(al.starGuard.connect(px).file(b32("maxDelay"), al.params.maxDelay));
      });
      await mined(al.starGuard.connect(world.l1.signer(4)).exec({ gasLimit: 2_000_000 }));
    },
  },
  {
    title: "governance lifts ALLOCATOR-SPARK-A's line by 200M outside the AutoLine; the Star draws 120M within the day (more than the 2 gaps of 50M its AutoLine pacing allows in a day), then wipes it",
    expects: ["SKY-ALLOCATOR-PACE"],
    order: 815,
    async play(world) {
      const al = skyAllocatorsOf(world);
      const { vat } = world.maker;
      await world.maker.asPauseProxy(async (px) => {
        const [il, Line] = await Promise.all([vat.ilks(al.ilk), vat.Line()]);
        await mined(vat.connect(px)["file(bytes32,bytes32,uint256)"](al.ilk, b32("line"), (il.line as ethers.BigNumber).add(rad("200000000"))));
        await mined(vat.connect(px)["file(bytes32,uint256)"](b32("Line"), (Line as ethers.BigNumber).add(rad("200000000"))));
      });
      await al.draw("120000000");
      await al.wipe("120000000");
    },
  },
];
