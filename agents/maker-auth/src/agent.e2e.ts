/**
 * maker-auth end to end: our Maker-shaped contracts on anvil (the Vat's own note, dss LibNote,
 * named Rely/Deny, the ChainLog's unindexed Rely/Deny, ds-auth LogSetOwner), the bot run by our
 * runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployContract, mined } from "../../../test/chain/deploy";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { planSpell, warpTo } from "../../../test/chain/maker/governance-scenarios";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { EmittedFinding } from "../../../shared/runtime/store";

jest.setTimeout(10 * 60_000);

const b32 = ethers.utils.formatBytes32String;
const rad = (n: string) => ethers.utils.parseUnits(n, 45);
const lc = (a: string) => a.toLowerCase();

describe("maker-auth on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let deployer: string;
  const run = async (from: number) =>
    runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: deployer } });
  const meta = (fs: EmittedFinding[], field: string) => fs.map((f) => f.finding.metadata[field]);

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    deployer = lc(await mk.deployer.getAddress());
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays at Info when governance changes rights in every event style and edits the ChainLog; pokes and votes are silent", async () => {
    const from = (await chain.blockNumber()) + 1;
    const x = chain.accounts[8]!;
    await mk.setPrice("ETH-A", "2050");
    const spell = await mk.executeSpell([
      call(mk.vat, "rely", x),
      call(mk.vat, "deny", x),
      call(mk.jug, "rely", x),
      call(mk.jug, "deny", x),
      call(mk.dog, "rely", x),
      call(mk.dog, "deny", x),
      call(mk.chainlog, "rely", x),
      call(mk.chainlog, "deny", x),
      call(mk.gov, "setOwner", mk.pauseProxy.address),
      call(mk.chainlog, "setAddress", b32("VIGIL_NEW_MODULE"), x),
      call(mk.chainlog, "setVersion", "1.0.1"),
    ]);
    await mk.drip("WBTC-A");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      ...Array(9).fill("MAKER-AUTH-RIGHTS-GOVERNANCE Info"),
      "MAKER-AUTH-CHAINLOG-KEY Info",
      "MAKER-AUTH-CHAINLOG-VERSION Info",
    ]);
    const rights = findings.slice(0, 9);
    expect(meta(rights, "style")).toEqual(["vat-note", "vat-note", "libnote", "libnote", "named", "named", "named-unindexed", "named-unindexed", "ds-auth"]);
    expect(meta(rights, "action")).toEqual(["rely", "deny", "rely", "deny", "rely", "deny", "rely", "deny", "setOwner"]);
    expect(meta(rights, "contractKeys").slice(0, 8)).toEqual(["MCD_VAT", "MCD_VAT", "MCD_JUG", "MCD_JUG", "MCD_DOG", "MCD_DOG", "CHANGELOG", "CHANGELOG"]);
    // the Vat's note does not name the caller; the LibNote does
    expect(rights[0]!.finding.metadata).toMatchObject({ caller: "", callerLogged: "false", usr: lc(x), via: "plan", spell: lc(spell.spell.address), spellKnown: "true" });
    expect(rights[2]!.finding.metadata).toMatchObject({ caller: lc(mk.pauseProxy.address), callerLogged: "true" });
    expect(findings[9]!.finding.metadata).toMatchObject({ key: "VIGIL_NEW_MODULE", change: "added", to: lc(x) });
    expect(findings[10]!.finding.metadata).toMatchObject({ versionBefore: "1.0.0", version: "1.0.1" });
  });

  it("reports a compromised ward key changing rights in every style, and a contract added to the ChainLog later, without a restart", async () => {
    const from = (await chain.blockNumber()) + 1;
    const ward = chain.signer(9);
    const wardAddress = lc(chain.accounts[9]!);
    const intruder = chain.accounts[7]!;
    await mk.executeSpell([call(mk.vat, "rely", wardAddress), call(mk.jug, "rely", wardAddress), call(mk.dog, "rely", wardAddress), call(mk.chainlog, "rely", wardAddress)]);
    const attackStart = (await chain.blockNumber()) + 1;
    await mined(mk.vat.connect(ward).rely(intruder));
    await mined(mk.jug.connect(ward).rely(intruder));
    await mined(mk.dog.connect(ward).rely(intruder));
    await mined(mk.chainlog.connect(ward).rely(intruder));
    await mined(mk.chainlog.connect(ward).setAddress(b32("MCD_VOW"), intruder));
    // a new module, whose deployer (account 8) is still a ward, joins the ChainLog through a spell
    const calc = await deployContract(chain.signer(8), "LinearDecrease");
    await mk.executeSpell([call(mk.chainlog, "setAddress", b32("MCD_CLIP_CALC_NEW_A", ), calc.address), call(mk.chainlog, "setAddress", b32("MCD_VOW"), mk.vow.address)]);
    await mined(calc.connect(chain.signer(8)).rely(intruder));
    const findings = await run(from);
    expect(alertsOf(findings.filter((f) => f.blockNumber < attackStart))).toEqual(Array(4).fill("MAKER-AUTH-RIGHTS-GOVERNANCE Info"));
    const attack = findings.filter((f) => f.blockNumber >= attackStart);
    expect(alertsOf(attack)).toEqual([
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical",
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical",
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical",
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical",
      "MAKER-AUTH-CHAINLOG-OUTSIDE-GOVERNANCE Critical",
      "MAKER-AUTH-CHAINLOG-CORE High", // MCD_CLIP_CALC_NEW_A matches the core pattern MCD_CLIP_*: added is High
      "MAKER-AUTH-CHAINLOG-CORE High",
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical",
    ]);
    expect(attack[5]!.finding.metadata).toMatchObject({ key: "MCD_CLIP_CALC_NEW_A", change: "added", coreKey: "true" });
    expect(meta(attack.slice(0, 4), "style")).toEqual(["vat-note", "libnote", "named", "named-unindexed"]);
    expect(attack[0]!.finding.metadata).toMatchObject({ contractKeys: "MCD_VAT", usr: lc(intruder), caller: "", txFrom: wardAddress, priority: "P0" });
    expect(attack[1]!.finding.metadata).toMatchObject({ contractKeys: "MCD_JUG", caller: wardAddress, callerLogged: "true" });
    expect(attack[1]!.finding.description).toMatch(/made by 0x[0-9a-f]{40}, not the pause proxy/);
    expect(attack[4]!.finding.metadata).toMatchObject({ key: "MCD_VOW", change: "re-pointed", from: lc(mk.vow.address), to: lc(intruder), coreKey: "true" });
    expect(attack[6]!.finding.metadata).toMatchObject({ key: "MCD_VOW", change: "re-pointed", to: lc(mk.vow.address) });
    expect(attack[7]!.finding.metadata).toMatchObject({ contract: lc(calc.address), contractKeys: "MCD_CLIP_CALC_NEW_A", style: "named" });

    // governance cleans up: Info
    const cleanup = (await chain.blockNumber()) + 1;
    await mk.executeSpell([
      call(mk.vat, "deny", intruder),
      call(mk.vat, "deny", wardAddress),
      call(mk.jug, "deny", intruder),
      call(mk.jug, "deny", wardAddress),
      call(mk.dog, "deny", intruder),
      call(mk.dog, "deny", wardAddress),
      call(mk.chainlog, "deny", intruder),
      call(mk.chainlog, "deny", wardAddress),
    ]);
    expect(alertsOf(await run(cleanup))).toEqual(Array(8).fill("MAKER-AUTH-RIGHTS-GOVERNANCE Info"));
  });

  it("does not let a ward hide a change inside someone else's plan execution, and accepts a plan executed through the pause directly", async () => {
    const hider = await deployContract(chain.signer(9), "WardThenExec");
    const intruder = chain.accounts[7]!;
    await mk.executeSpell([call(mk.vat, "rely", hider.address)]);
    // a ripe, harmless plan of a known spell that anyone may execute
    const planned = await planSpell(mk, [call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1300000000"))]);
    await warpTo(mk, planned.eta);
    const from = (await chain.blockNumber()) + 1;
    const hidden = await mined(
      hider.connect(chain.signer(9)).run(mk.vat.address, intruder, mk.pause.address, planned.action.address, planned.tag, planned.fax, planned.eta, { gasLimit: 2_000_000 }),
    );
    // a plan whose calls change rights, executed by an account calling the pause itself
    const direct = await planSpell(mk, [call(mk.vat, "deny", intruder), call(mk.vat, "deny", hider.address)]);
    await warpTo(mk, direct.eta);
    const exec = await mined(mk.pause.connect(chain.signer(5)).exec(direct.action.address, direct.tag, direct.fax, direct.eta, { gasLimit: 2_000_000 }));
    const findings = await run(from);
    const hiddenFindings = findings.filter((f) => f.txHash === hidden.transactionHash);
    expect(alertsOf(hiddenFindings)).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical"]);
    expect(hiddenFindings[0]!.finding.metadata).toMatchObject({ style: "vat-note", usr: lc(intruder), txTo: lc(hider.address) });
    expect(hiddenFindings[0]!.finding.description).toContain("cannot be tied to the plan");
    const direct$ = findings.filter((f) => f.txHash === exec.transactionHash);
    expect(alertsOf(direct$)).toEqual(["MAKER-AUTH-RIGHTS-GOVERNANCE Info", "MAKER-AUTH-RIGHTS-GOVERNANCE Info"]);
    expect(direct$[0]!.finding.metadata).toMatchObject({ via: "plan", spell: lc(chain.accounts[5]!), plottedBy: lc(direct.spell.address), spellKnown: "true" });
  });

  it("reports rights changed by a plan from an unknown spell (High), and core ChainLog keys re-pointed, removed or added (back) by governance (High)", async () => {
    const from = (await chain.blockNumber()) + 1;
    const x = chain.accounts[8]!;
    const rogue = await mk.executeSpell([call(mk.vat, "rely", x), call(mk.vat, "deny", x)], { voter: chain.signer(6) });
    const mid = (await chain.blockNumber()) + 1;
    await mk.executeSpell([
      call(mk.chainlog, "setAddress", b32("MCD_IOU"), x),
      call(mk.chainlog, "removeAddress", b32("MCD_IOU")),
      call(mk.chainlog, "setAddress", b32("MCD_IOU"), mk.iou.address),
      call(mk.chainlog, "setAddress", b32("VIGIL_NEW_MODULE"), mk.iou.address),
    ]);
    const findings = await run(from);
    const first = findings.filter((f) => f.blockNumber < mid);
    expect(alertsOf(first)).toEqual(["MAKER-AUTH-RIGHTS-UNKNOWN-SPELL High", "MAKER-AUTH-RIGHTS-UNKNOWN-SPELL High"]);
    expect(first[0]!.finding.metadata).toMatchObject({ spellKnown: "false", plottedBy: lc(rogue.spell.address), spell: lc(rogue.spell.address), style: "vat-note" });
    const edits = findings.filter((f) => f.blockNumber >= mid);
    expect(alertsOf(edits)).toEqual([
      "MAKER-AUTH-CHAINLOG-CORE High",
      "MAKER-AUTH-CHAINLOG-CORE High",
      "MAKER-AUTH-CHAINLOG-CORE High", // a core key added back: integrations resolve it again, to whatever it now is
      "MAKER-AUTH-CHAINLOG-KEY Info",
    ]);
    expect(meta(edits, "change")).toEqual(["re-pointed", "removed", "added", "re-pointed"]);
    expect(edits[2]!.finding.metadata).toMatchObject({ key: "MCD_IOU", coreKey: "true", from: "", to: lc(mk.iou.address), priority: "P1" });
    expect(edits[2]!.finding.description).toContain(`core key MCD_IOU added: ${lc(mk.iou.address)}`);
    expect(edits[0]!.finding.description).toContain(`core key MCD_IOU re-pointed from ${lc(mk.iou.address)} to ${lc(x)}`);
  });

  it("reports a core key that was never in the ChainLog added by governance (High), saying it was added", async () => {
    const from = (await chain.blockNumber()) + 1;
    const x = chain.accounts[8]!;
    await mk.executeSpell([call(mk.chainlog, "setAddress", b32("MCD_CLIP_VIGIL_A"), x), call(mk.chainlog, "setAddress", b32("VIGIL_OTHER_MODULE"), x)]);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-AUTH-CHAINLOG-CORE High", "MAKER-AUTH-CHAINLOG-KEY Info"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "MCD_CLIP_VIGIL_A", change: "added", from: "", to: lc(x), coreKey: "true", governance: "true" });
    expect(findings[0]!.finding.description).toMatch(/core key MCD_CLIP_VIGIL_A added: 0x[0-9a-f]{40} \(by governance\)/);
    expect(findings[1]!.finding.metadata).toMatchObject({ key: "VIGIL_OTHER_MODULE", change: "added", coreKey: "false" });
  });
});
