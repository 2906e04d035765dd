/**
 * maker-auth's part of the devnet storyline: governance changing rights in every event style
 * early (quiet: Info only), then (at 700-710, a range of their own: spells warp time) a
 * compromised ward key and a spell of unknown origin, each cleaned up by governance so that the system stays usable for the scenes after them.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import type { DevnetWorld } from "../../scripts/devnet/world";
import { deployContract, mined } from "../../test/chain/deploy";
import { call } from "../../test/chain/maker";

const b32 = ethers.utils.formatBytes32String;

/** A module governance registers in the ChainLog during the storyline (its deployer stays a ward). */
const MODULE_KEY = "VIGIL_DEVNET_MODULE";

async function moduleOf(world: DevnetWorld): Promise<ethers.Contract> {
  const { maker, l1 } = world;
  const address: string = await maker.chainlog.getAddress(b32(MODULE_KEY));
  return new ethers.Contract(address, ["function rely(address)", "function deny(address)"], l1.signer(8));
}

export const scenes: Scene[] = [
  {
    title: "governance changes rights in every event style, registers a new module and bumps the ChainLog version: Info only",
    expects: ["MAKER-AUTH-RIGHTS-GOVERNANCE", "MAKER-AUTH-CHAINLOG-KEY", "MAKER-AUTH-CHAINLOG-VERSION"],
    order: 30,
    async play(world) {
      const { maker, l1 } = world;
      const x = l1.accounts[8]!;
      const module = await deployContract(l1.signer(8), "LinearDecrease"); // account 8 deploys it and keeps its ward
      await maker.executeSpell(
        [
          call(maker.vat, "rely", x),
          call(maker.vat, "deny", x),
          call(maker.jug, "rely", x),
          call(maker.jug, "deny", x),
          call(maker.dog, "rely", x),
          call(maker.dog, "deny", x),
          call(maker.chainlog, "rely", x),
          call(maker.chainlog, "deny", x),
          call(maker.gov, "setOwner", maker.pauseProxy.address),
          call(maker.chainlog, "setAddress", b32(MODULE_KEY), module.address),
          call(maker.chainlog, "setVersion", "1.0.1"),
        ],
        { description: "devnet: rights housekeeping" },
      );
    },
  },
  {
    title: "a compromised ward key changes rights on the Vat, Jug, Dog, ChainLog and a newly registered module, and edits the ChainLog; governance revokes it",
    expects: ["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE", "MAKER-AUTH-CHAINLOG-OUTSIDE-GOVERNANCE"],
    order: 700,
    async play(world) {
      const { maker, l1 } = world;
      const ward = l1.signer(9);
      const wardAddress = l1.accounts[9]!;
      const intruder = l1.accounts[7]!;
      await maker.executeSpell(
        [call(maker.vat, "rely", wardAddress), call(maker.jug, "rely", wardAddress), call(maker.dog, "rely", wardAddress), call(maker.chainlog, "rely", wardAddress)],
        { description: "devnet: grant a ward (later compromised)" },
      );
      await mined(maker.vat.connect(ward).rely(intruder)); // the Vat's note: no caller logged
      await mined(maker.jug.connect(ward).rely(intruder)); // LibNote: caller logged
      await mined(maker.dog.connect(ward).rely(intruder)); // named event
      await mined(maker.chainlog.connect(ward).rely(intruder)); // the ChainLog's unindexed event
      await mined(maker.chainlog.connect(ward).setAddress(b32("VIGIL_ROGUE"), intruder));
      const module = await moduleOf(world);
      if (module.address !== ethers.constants.AddressZero) await mined(module.rely(intruder)); // followed since governance added it
      await maker.executeSpell(
        [
          call(maker.vat, "deny", intruder),
          call(maker.vat, "deny", wardAddress),
          call(maker.jug, "deny", intruder),
          call(maker.jug, "deny", wardAddress),
          call(maker.dog, "deny", intruder),
          call(maker.dog, "deny", wardAddress),
          call(maker.chainlog, "deny", intruder),
          call(maker.chainlog, "deny", wardAddress),
          call(maker.chainlog, "removeAddress", b32("VIGIL_ROGUE")),
        ],
        { description: "devnet: revoke the compromised ward" },
      );
      if (module.address !== ethers.constants.AddressZero) await mined(module.deny(intruder));
    },
  },
  {
    title: "a spell of unknown origin changes rights; governance re-points a core ChainLog key and restores it",
    expects: ["MAKER-AUTH-RIGHTS-UNKNOWN-SPELL", "MAKER-AUTH-CHAINLOG-CORE"],
    order: 710,
    async play(world) {
      const { maker, l1 } = world;
      const x = l1.accounts[8]!;
      await maker.executeSpell([call(maker.vat, "rely", x), call(maker.vat, "deny", x)], { voter: l1.signer(6), description: "devnet: unknown spell" });
      const iou = maker.addresses.MCD_IOU!;
      await maker.executeSpell([call(maker.chainlog, "setAddress", b32("MCD_IOU"), x), call(maker.chainlog, "setAddress", b32("MCD_IOU"), iou)], {
        description: "devnet: re-point and restore MCD_IOU",
      });
    },
  },
];
