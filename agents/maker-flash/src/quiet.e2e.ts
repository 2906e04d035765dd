/**
 * The quiet stretch for the money-movement bots: ordinary activity (vault frobs, small flash
 * mints, small PSM swaps, an orderly liquidation, bridge deposits and a withdrawal) yields nothing
 * from maker-flash, maker-psm and maker-dai-bridge, let alone anything above Low.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { mined } from "../../../test/chain/deploy";
import { bridgeDeposit, deployL2Dai, deployMaker, flashMint, fundVatDai, vatDaiFlashLoan, type L2Dai, type MakerSystem } from "../../../test/chain/maker";
import { startAuction } from "../../../test/chain/maker/flash-combo";
import { buyGem } from "../../../test/chain/maker/psm-helpers";
import { runBots } from "../../../shared/testing/chain";

const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => wad(n).mul(ethers.BigNumber.from(10).pow(27));

describe("a quiet stretch of ordinary Maker activity", () => {
  let l1: AnvilChain;
  let l2chain: AnvilChain;
  let mk: MakerSystem;
  let l2: L2Dai;
  beforeAll(async () => {
    [l1, l2chain] = await Promise.all([startAnvil(), startAnvil({ chainId: 10 })]);
    mk = await deployMaker(l1);
    l2 = await deployL2Dai(l2chain);
  });
  afterAll(async () => {
    await Promise.all([l1.stop(), l2chain.stop()]);
  });

  it("raises nothing in maker-flash, maker-psm or maker-dai-bridge", async () => {
    const from = (await l1.blockNumber()) + 1;
    const user = l1.signer(3);
    await bridgeDeposit(mk, l2, user, "200000");
    // vaults: open, draw more, repay a little
    const v = await mk.openVault("ETH-A", { owner: l1.signer(4), ink: "50", art: "20000" });
    await mined(mk.vat.connect(l1.signer(4)).frob(mk.ilks["ETH-A"].ilk, v.urn, v.urn, v.urn, 0, wad("5000")));
    await mk.openVault("WBTC-A", { owner: l1.signer(6), ink: "1", art: "10000" });
    // small flash mints, small PSM swaps
    await flashMint(mk, "500000");
    await vatDaiFlashLoan(mk, rad("2000000"));
    await mk.sellGem("psm", l1.signer(5), "750000");
    await mk.sellGem("lite", l1.signer(5), "1250000.25");
    await buyGem(mk, "psm", l1.signer(5), "400000");
    await buyGem(mk, "lite", l1.signer(5), "999999.999999");
    // an orderly liquidation: the price drops, a vault is barked, a keeper takes with its own dai
    const { id, restorePrice } = await startAuction(mk, l1.signer(7));
    await fundVatDai(mk, l1.signer(9), "30000");
    await mk.take("ETH-A", id);
    await mk.setPrice("ETH-A", restorePrice);
    // a withdrawal: burned on the L2, paid out of the escrow
    await mined(l2.dai.connect(l2.bridge).burn(await user.getAddress(), wad("50000")));
    await mk.asPauseProxy((p) => mined(mk.escrow.connect(p).approve(mk.dai.address, l1.accounts[9]!, wad("50000"))));
    await mined(mk.dai.connect(l1.signer(9)).transferFrom(mk.escrow.address, await user.getAddress(), wad("50000")));
    await l1.mine(30);

    const findings = await runBots({
      url: l1.url,
      bots: ["maker-flash", "maker-psm", "maker-dai-bridge"],
      from,
      to: await l1.blockNumber(),
      env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, DAI_BRIDGE_DOMAINS: "optimism", DAI_BRIDGE_OPTIMISM_RPC_URL: l2chain.url, DAI_BRIDGE_OPTIMISM_L2_ASSET: l2.dai.address },
    });
    const aboveLow = findings.filter((f) => !["Info", "Low"].includes(f.finding.severity));
    expect(aboveLow).toEqual([]);
    expect(findings.map((f) => `${f.bot} ${f.finding.alertId} ${f.finding.description}`)).toEqual([]);
  });
});
