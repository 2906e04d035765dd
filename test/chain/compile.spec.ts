import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifact, compileContracts, SolidityCompileError, UnknownArtifactError } from "./compile";

const A = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract A { uint256 public x; function set(uint256 v) external { x = v; } }
`;

describe("compileContracts (on a scratch directory)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-solc-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("compiles once, then answers from the cache until a source changes", () => {
    writeFileSync(join(dir, "A.sol"), A);
    const first = compileContracts({ dir });
    expect(first.cached).toBe(false);
    expect(first.artifacts.A.abi.map((f) => f.name)).toEqual(expect.arrayContaining(["x", "set"]));
    expect(first.artifacts.A.bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
    expect(readdirSync(join(dir, ".cache")).filter((f) => f.startsWith("artifacts-"))).toHaveLength(1);

    // a second run (same process or, through the cache file, a new one) does not run solc
    expect(compileContracts({ dir }).cached).toBe(true);

    writeFileSync(join(dir, "B.sol"), A.replace("contract A", "contract B"));
    const third = compileContracts({ dir });
    expect(third.cached).toBe(false);
    expect(Object.keys(third.artifacts).sort()).toEqual(["A", "B"]);
    // the stale cache file is replaced, not accumulated
    expect(readdirSync(join(dir, ".cache")).filter((f) => f.startsWith("artifacts-"))).toHaveLength(1);
  });

  it("reports solc's own error messages", () => {
    writeFileSync(join(dir, "Bad.sol"), A.replace("x = v;", "x = w;"));
    let err: unknown;
    try {
      compileContracts({ dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SolidityCompileError);
    expect((err as Error).message).toMatch(/Undeclared identifier/);
    expect((err as Error).message).toMatch(/Bad\.sol/);
  });

  it("refuses two contracts with the same name (artifact(name) must be unambiguous)", () => {
    writeFileSync(join(dir, "A.sol"), A);
    writeFileSync(join(dir, "A2.sol"), A);
    expect(() => compileContracts({ dir })).toThrow(/contract name A is defined in both/);
  });
});

describe("artifact", () => {
  it("returns the ABI and bytecode of a test contract, and names the unknown ones", () => {
    const vat = artifact("Vat");
    expect(vat.source).toBe("Vat.sol");
    expect(vat.abi.some((f) => f.name === "frob")).toBe(true);
    expect(() => artifact("NoSuchContract")).toThrow(UnknownArtifactError);
  });

  it("builds the ds-note look-alikes with solc 0.4.26 under the solc-0.4: prefix, with the same ABIs as the 0.8 ones", () => {
    for (const name of ["DSToken", "DSChief", "DSChiefNoFlashGuard", "DSPause", "DSPauseProxy", "DSValue"]) {
      const old = artifact(`solc-0.4:${name}`);
      expect(old.bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
      const sigs = (a: typeof old) => a.abi.filter((f) => f.type === "function").map((f) => `${String(f.name)}(${(f.inputs as Array<{ type: string }>).map((i) => i.type).join(",")})`).sort();
      // every function the 0.8 build offers (what deployMaker and the scenarios call) exists in the 0.4 build
      expect(sigs(old)).toEqual(expect.arrayContaining(sigs(artifact(name))));
    }
    expect(() => artifact("solc-0.4:Vat")).toThrow(/solc-0\.4:DSChief/);
  });
});
