import { beaconApiSpec } from "./validator";

const ROOT = `0x${"ab".repeat(32)}`;
const cp = { epoch: "7", root: ROOT };
const checkpoints = { execution_optimistic: false, finalized: false, data: { previous_justified: cp, current_justified: cp, finalized: cp } };

describe("Beacon API spec validator", () => {
  const spec = beaconApiSpec();

  it("accepts a response that follows the spec", () => {
    expect(spec.validateResponse("GET", "/eth/v1/beacon/states/head/finality_checkpoints", 200, "application/json", checkpoints)).toEqual([]);
  });

  it("rejects JSON numbers where the spec wants decimal strings, and malformed roots", () => {
    const bad = { ...checkpoints, data: { ...checkpoints.data, finalized: { epoch: 7, root: "0x12" } } };
    const problems = spec.validateResponse("GET", "/eth/v1/beacon/states/123/finality_checkpoints", 200, "application/json", bad);
    expect(problems).toEqual([
      expect.stringContaining("/data/finalized/epoch must be string"),
      expect.stringContaining("/data/finalized/root must match pattern"),
    ]);
  });

  it("follows $refs across files (route file -> oapi components -> types)", () => {
    const header = {
      execution_optimistic: false,
      finalized: true,
      data: { root: ROOT, canonical: true, header: { message: { slot: "1", proposer_index: "2", parent_root: ROOT, state_root: ROOT, body_root: ROOT }, signature: "0x12" } },
    };
    expect(spec.validateResponse("GET", `/eth/v1/beacon/headers/${ROOT}`, 200, "application/json", header)).toEqual([
      expect.stringContaining("/data/header/signature must match pattern"),
    ]);
  });

  it("rejects undeclared statuses and bodies where the spec declares none", () => {
    expect(spec.validateResponse("GET", "/eth/v1/node/health", 206, undefined, undefined)).toEqual([]);
    expect(spec.validateResponse("GET", "/eth/v1/node/health", 418, undefined, undefined)).toEqual([
      expect.stringContaining("status 418 is not declared"),
    ]);
    expect(spec.validateResponse("GET", "/eth/v1/node/health", 200, "application/json", { ok: true })).toEqual([
      expect.stringContaining("declares no body"),
    ]);
  });

  it("checks a versioned block against its fork's type, not just any fork's", () => {
    // A phase0-shaped block satisfies the route's anyOf but is not an Electra block.
    const block = {
      version: "electra",
      execution_optimistic: false,
      finalized: false,
      data: {
        message: {
          slot: "1",
          proposer_index: "0",
          parent_root: ROOT,
          state_root: ROOT,
          body: {
            randao_reveal: `0x${"00".repeat(96)}`,
            eth1_data: { deposit_root: ROOT, deposit_count: "0", block_hash: ROOT },
            graffiti: ROOT,
            proposer_slashings: [],
            attester_slashings: [],
            attestations: [],
            deposits: [],
            voluntary_exits: [],
          },
        },
        signature: `0x${"00".repeat(96)}`,
      },
    };
    const problems = spec.validateResponse("GET", "/eth/v2/beacon/blocks/head", 200, "application/json", block);
    expect(problems.some((p) => p.includes("(as Electra.SignedBeaconBlock)") && p.includes("execution_payload"))).toBe(true);
    expect(spec.validateResponse("GET", "/eth/v2/beacon/blocks/head", 200, "application/json", { ...block, version: "phase0" })).toEqual([]);
  });

  it("judges SSE events by the spec's example for their topic", () => {
    const reorg = {
      slot: "200",
      depth: "3",
      old_head_block: ROOT,
      new_head_block: ROOT,
      old_head_state: ROOT,
      new_head_state: ROOT,
      epoch: "6",
      execution_optimistic: false,
    };
    expect(spec.validateEvent("chain_reorg", reorg)).toEqual([]);
    expect(spec.validateEvent("chain_reorg", { ...reorg, depth: 3 })).toEqual([expect.stringContaining("/depth must be string")]);
    expect(spec.validateEvent("chain_reorg", { slot: "1" })).toContainEqual(expect.stringContaining("must have required property 'depth'"));
    expect(spec.validateEvent("weather", {})).toEqual(["event weather: topic not in the spec"]);
  });

  it("says when a path is not a Beacon API route", () => {
    expect(spec.validateResponse("GET", "/eth/v1/nope", 200, "application/json", {})).toEqual(["GET /eth/v1/nope: no such route in the Beacon API spec"]);
  });
});
