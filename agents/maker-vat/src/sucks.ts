/**
 * Debt sources, per transaction: every Vat `suck(u, v, rad)` is tied to a known debt source (a
 * Vat ward the ChainLog names, by the rules of debt-sources.ts, or governance executing a plan);
 * one that cannot be is MAKER-VAT-SUCK-UNKNOWN (Critical). Known sucks and liquidation grabs onto
 * the Vow are recorded per block, for sin-growth.ts to explain the Vow's sin with.
 */
import type { Finding } from "forta-agent";
import type { EpisodeState } from "../../../shared/episodes";
import { createFinding, logKey } from "../../../shared/findings";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { typeOf } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import { grabSin, suckCandidate, type SuckCandidate } from "./debt-sources";
import { ethers } from "forta-agent";
import { blockLogs } from "../../../shared/rpc/block-logs";
import type { ContractReader } from "../../../shared/rpc/contract";
import { rad, radHuman, type VatDeps, type VatWatcher } from "./vat";

/** One block's known additions to sin(vow) [rad, decimal strings], recorded by its transactions. */
export interface BlockFlow {
  explained: string;
  /** sucks onto the Vow no known source made (reported one by one as MAKER-VAT-SUCK-UNKNOWN) */
  unvouched: string;
  sucks: number;
  grabs: number;
}

export interface DebtSourcesState {
  /** the Vat and Vow this is about (reset when the ChainLog names others) */
  vat: string | null;
  vow?: string | null;
  /** block number -> what its transactions added to sin(vow) */
  flows: Record<string, BlockFlow>;
  /** sin(vow) at the last two blocks handled */
  sins: { b: number; sin: string }[];
  episode: EpisodeState<"unexplained" | "large">;
  /** unexplained growth summed over the open episode [rad] */
  total: string;
}

export const emptyDebtSources = (): DebtSourcesState => ({ vat: null, flows: {}, sins: [], episode: {}, total: "0" });

const word = (w: string | undefined) => "0x" + String(w ?? "").slice(-40).toLowerCase();

/** The sucks watcher, and the ward bits it will read, to be asked with the block's snapshot. */
export interface SucksWatcher extends VatWatcher {
  /**
   * Start reading, at block `n`, the ward bit each of the block's sucks will ask for, so the
   * transaction handlers find it in the client's cache instead of a round trip of their own in
   * the middle of the block: the Vat's `suck` notes in the block's receipts (the runtime's own
   * eth_getBlockReceipts: a cache hit) whose receiver the ChainLog names (the sucker is then that
   * receiver: suckCandidate's first rule). Only exactly the calls the handlers will make: none
   * when the ChainLog itself logs in the block (its names may change between transactions).
   * Failures are left to the handlers' own reads (a failed call is not cached).
   */
  readAhead(reader: ContractReader, vat: string, n: number, txs: number): void;
}

/** topic0 of the Vat's LogNote for `suck(address,address,uint256)` (topics: sig, u, v, rad) */
const SUCK_TOPIC = ethers.utils.id("suck(address,address,uint256)").slice(0, 10) + "0".repeat(56);

/** The Vat's ward bits as VatTracker keeps them (carried from block to block until a rely or deny). */
export interface WardBits {
  knowsWard(who: string, n: number): boolean;
  ward(vat: ContractReader, who: string, n: number): Promise<bigint>;
}

export function sucksWatcher({ ctx, config, book }: VatDeps, st: DebtSourcesState, wards: WardBits): SucksWatcher {
  const suckersOf = async (vat: string, n: number, txs: number): Promise<string[]> => {
    const logs = await blockLogs(ctx.rpc, n, txs);
    const chainlog = config.chainlog.toLowerCase();
    const out = new Set<string>();
    for (const log of logs ?? []) {
      const from = String(log.address).toLowerCase();
      if (from === chainlog) return [];
      if (from !== vat || String(log.topics[0]).toLowerCase() !== SUCK_TOPIC || log.topics.length < 3) continue;
      const v = word(log.topics[2]);
      if (book.keysOf(v).length > 0) out.add(v);
    }
    return [...out];
  };
  return {
    name: "sucks",
    readAhead(reader, vat, n, txs) {
      suckersOf(vat, n, txs)
        .then((suckers) => {
          for (const a of suckers) if (!wards.knowsWard(a, n)) wards.ward(reader, a, n).catch(() => undefined);
        })
        .catch(() => undefined);
    },
    async onTransaction({ event: tx, block, vat, reader, notes, who }) {
      const vow = book.tryGetAddress("MCD_VOW") ?? null;
      const n = block.number;
      const findings: Finding[] = [];
      const heals = notes.filter(({ note }) => note.name === "heal").map(({ note, logIndex }) => ({ rad: BigInt(note.rawArgs[0] ?? "0x0"), logIndex }));
      const flow = (): BlockFlow => (st.flows[String(n)] ??= { explained: "0", unvouched: "0", sucks: 0, grabs: 0 });
      for (const { note, logIndex } of notes) {
        if (note.name === "grab") {
          const w = String(note.args?.w ?? "").toLowerCase();
          if (!vow || w !== vow || !note.args) continue;
          const ilk = note.rawArgs[0]!;
          const rate = ((await reader.read("ilks", [ilk], n)).rate as { toBigInt(): bigint }).toBigInt();
          const f = flow();
          f.explained = (BigInt(f.explained) + grabSin((note.args.dart as { toBigInt(): bigint }).toBigInt(), rate)).toString();
          f.grabs += 1;
          continue;
        }
        if (note.name !== "suck") continue;
        const suck = { u: word(note.rawArgs[0]), v: word(note.rawArgs[1]), rad: BigInt(note.rawArgs[2] ?? "0x0"), logIndex };
        const candidate = suckCandidate({ suck, vow, vat, logs: tx.logs, heals, keysOf: (a) => book.keysOf(a) });
        const ward = candidate ? (await wards.ward(reader, candidate.sucker, n)) === 1n : false;
        let known = !!candidate && ward;
        const by = known ? null : await who.classify({ contract: vat, param: "suck", logIndex, loggedCaller: null });
        if (by?.callerClass === "governance") known = true;
        if (suck.u === vow) {
          const f = flow();
          f.sucks += 1;
          if (known) f.explained = (BigInt(f.explained) + suck.rad).toString();
          else f.unvouched = (BigInt(f.unvouched) + suck.rad).toString();
        }
        if (known || !by) continue;
        findings.push(
          createFinding(ALERTS.suckUnknown, {
            description: `Vat ${vat}: suck of ${radHuman(suck.rad)} of new dai to ${suck.v} against ${suck.u === vow ? "the Vow" : suck.u}, by no known debt source: ${whyUnknown(candidate, ward)}; ${callerPhrase(by)}, in a transaction from ${tx.from} to ${tx.to ?? "(contract creation)"}`,
            key: logKey(tx.network, block, tx.hash, logIndex),
            block,
            type: typeOf(by, ALERTS.suckUnknown.type),
            addresses: [vat, suck.u, suck.v, tx.from, ...(tx.to ? [tx.to] : [])],
            metadata: {
              vat,
              u: suck.u,
              v: suck.v,
              uKeys: book.keysOf(suck.u).join(","),
              vKeys: book.keysOf(suck.v).join(","),
              amountRaw: suck.rad.toString(),
              amount: rad(suck.rad),
              candidate: candidate?.sucker ?? "",
              candidateKeys: candidate?.keys.join(",") ?? "",
              candidateIsWard: candidate ? String(ward) : "",
              from: tx.from,
              to: tx.to ?? "",
              ...attributionMetadata(by),
              txHash: tx.hash,
            },
          }),
        );
      }
      return findings;
    },
  };
}

function whyUnknown(c: SuckCandidate | null, ward: boolean): string {
  if (!c) return "neither the receiver nor the debt holder is a ChainLog contract, and no ChainLog contract's log in the transaction names the receiver and the amount";
  if (!ward) return `${c.keys.join("/")} ${c.sucker} (${c.why}) is not a Vat ward, so it cannot have made it`;
  return c.why;
}
