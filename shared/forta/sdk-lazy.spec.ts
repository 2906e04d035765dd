/**
 * The lazy forta-agent SDK of the compiled command: the same exports as forta-agent's index,
 * the very same classes, and none of the CLI's gRPC container loaded until asked for.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { lazyFortaSdk } from "./sdk-lazy";

const ROOT = join(__dirname, "..", "..");

describe("lazyFortaSdk", () => {
  it("has every export of forta-agent's index, each the very same object", () => {
    const lazy = lazyFortaSdk();
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const real = require("forta-agent") as Record<string, unknown>;
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(real).sort());
    for (const name of Object.keys(real)) {
      if (name === "configureContainer" || name === "getLabels") expect(typeof lazy[name]).toBe("function");
      else expect(lazy[name]).toBe(real[name]);
    }
  });

  it("takes the index's place in the module cache: bots and forta-agent's cli/utils get it, gRPC is not loaded", () => {
    const script = `
      require("./shared/forta/sdk-lazy").useLazyFortaSdk();
      const sdk = require("forta-agent");
      const cli = require("forta-agent/dist/cli/utils");
      const block = cli.createBlockEvent({ hash: "0x" + "1".repeat(64), number: "0x1", timestamp: "0x2", parentHash: "0x" + "0".repeat(64), transactions: [] }, 1);
      const f = sdk.Finding.fromObject({ name: "n", description: "d", alertId: "A-1", severity: sdk.FindingSeverity.Low, type: sdk.FindingType.Info });
      const loaded = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({
        block: block instanceof sdk.BlockEvent, number: block.blockNumber, finding: f instanceof sdk.Finding,
        grpc: loaded.some((k) => k.includes("@grpc")), awilix: loaded.some((k) => k.includes("awilix")),
      }));`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ block: true, number: 1, finding: true, grpc: false, awilix: false });
  });
});
