/**
 * LOCKSTAKE_MIGRATOR (sky.md §8.4): its anonymous Migrate, and the two lines it depends on.
 *
 * - Per transaction: each Migrate (Info; High from LOCKSTAKE_MIGRATE_LARGE_DEBT), then, once per
 *   transaction with a migration, the Lockstake ilk's Vat line. The migrator, a Vat ward, sets that
 *   line to 55M for its draw and then to 0, whatever it was: on today's mainnet, where stUSDS sets
 *   the line (`min(stusds.line, totalSupply*chi - clip.Due())`, sky.md §7), a migration with debt
 *   halts Lockstake borrowing until the next stUSDS action (and any other end value would let
 *   borrowing outrun stUSDS). Reported (High) when the line at the end of the block is neither the
 *   line before the block nor the line stUSDS computes.
 * - Every block: the MKR v1 ilk's line (the migrator's `oldIlk`), which must stay 0 (the migrator's
 *   own assumption, and no borrowing against the retired collateral): an episode (Medium).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { VAT_IFACE, fromBytes32 } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { formatAmount, fromRad, fromWad } from "../../../shared/math";
import { carryableLogs } from "../../../shared/rpc/block-logs";
import { contract } from "../../../shared/rpc/contract";
import { CLIP_IFACE, MIGRATOR_IFACE, STUSDS_READ_IFACE, decodeMigrate } from "./abi";
import { ALERTS } from "./alerts";
import type { LockstakeConfig } from "./config";
import { migrationLineBroken, stusdsLine } from "./detectors";

export interface MigratorState {
  /** the migrator whose ilks are cached, and its ilks (bytes32) */
  migrator: string | null;
  oldIlk: string | null;
  newIlk: string | null;
  oldLine: EpisodeState<"open">;
}

export const emptyMigrator = (): MigratorState => ({ migrator: null, oldIlk: null, newIlk: null, oldLine: {} });

const str = (v: unknown) => (v as { toString(): string }).toString();
const usds = (rad: string) => `${formatAmount(fromRad(rad))} USDS`;

export function migratorWatcher(ctx: BotContext, book: AddressBook, cfg: LockstakeConfig, state: MigratorState) {
  const oldLineEp = new Episodes<"open">(["open"], state.oldLine);

  /** The migrator's ilks, read once per migrator address. */
  async function ilks(migrator: string, block: number): Promise<{ oldIlk: string; newIlk: string }> {
    if (state.migrator !== migrator || !state.oldIlk || !state.newIlk) {
      const M = contract(ctx.rpc, migrator, MIGRATOR_IFACE, "LOCKSTAKE_MIGRATOR");
      const [[oldIlk], [newIlk]] = await Promise.all([M.read("oldIlk", [], block), M.read("newIlk", [], block)]);
      Object.assign(state, { migrator, oldIlk: String(oldIlk), newIlk: String(newIlk) });
    }
    return { oldIlk: state.oldIlk!, newIlk: state.newIlk! };
  }

  async function onTransaction(tx: TransactionEvent, block: BlockRef): Promise<Finding[]> {
    const migrator = book.tryGetAddress("LOCKSTAKE_MIGRATOR");
    if (!migrator) return [];
    const out: Finding[] = [];
    const migrations = tx.logs.filter((l) => l.address.toLowerCase() === migrator).map((l) => ({ log: l, m: decodeMigrate(l) }));
    let withDebt: number | null = null;
    for (const { log, m } of migrations) {
      if (!m) continue;
      const debt = fromRad(m.debt);
      const large = debt.gte(cfg.migrateLargeDebt);
      if (m.debt !== "0") withDebt = log.logIndex;
      out.push(
        createFinding(ALERTS.migrate, {
          description: `LOCKSTAKE_MIGRATOR ${migrator}: MKR urn ${m.oldOwner}#${m.oldIndex} (${formatAmount(fromWad(m.ink))} MKR) moved to SKY urn ${m.newOwner}#${m.newIndex} with ${usds(m.debt)} of debt${large ? ` (at least ${formatAmount(cfg.migrateLargeDebt)}: the migrator lifts the ilk line to 55M for it)` : ""}`,
          key: logKey(tx.network, block, tx.hash, log.logIndex),
          block,
          severity: large ? FindingSeverity.High : FindingSeverity.Info,
          addresses: [migrator, m.oldOwner, m.newOwner],
          metadata: { migrator, ...m, ink: fromWad(m.ink).toFixed(), debtRaw: m.debt, debt: debt.toFixed(), largeDebt: cfg.migrateLargeDebt.toFixed(), txHash: tx.hash },
        }),
      );
    }
    if (withDebt === null) return out;

    // the line the migration left (end of the block) against the line before and stUSDS's
    const vat = book.tryGetAddress("MCD_VAT");
    const stusds = book.tryGetAddress("STUSDS");
    const clip = book.tryGetAddress("LOCKSTAKE_CLIP");
    if (!vat || !stusds) return out;
    const n = block.number;
    const { newIlk } = await ilks(migrator, n);
    const V = contract(ctx.rpc, vat, VAT_IFACE, "Vat");
    const S = contract(ctx.rpc, stusds, STUSDS_READ_IFACE, "STUSDS");
    const [after, before, stLine, supply, chi, due] = await Promise.all([
      V.read("ilks", [newIlk], n).then((r) => str(r.line)),
      V.read("ilks", [newIlk], n - 1).then((r) => str(r.line)),
      S.read("line", [], n).then((r) => str(r[0])),
      S.read("totalSupply", [], n).then((r) => str(r[0])),
      S.read("chi", [], n).then((r) => str(r[0])),
      clip ? contract(ctx.rpc, clip, CLIP_IFACE, "LOCKSTAKE_CLIP").read("Due", [], n).then((r) => str(r[0])) : "0",
    ]);
    const expected = stusdsLine(stLine, supply, chi, due);
    if (!migrationLineBroken(before, after, expected)) return out;
    const ilkName = fromBytes32(newIlk);
    const effect = BigInt(after) < BigInt(expected) ? "Lockstake borrowing is capped below what stUSDS allows (halted at 0) until the next stUSDS action or a spell" : "Lockstake may borrow beyond what stUSDS deposits back";
    out.push(
      createFinding(ALERTS.migratorLine, {
        description: `LOCKSTAKE_MIGRATOR ${migrator}: after a migration with debt the ${ilkName} line is ${usds(after)} (was ${usds(before)}; stUSDS computes ${usds(expected)}): ${effect}`,
        key: [...logKey(tx.network, block, tx.hash, withDebt), "line"],
        block,
        addresses: [migrator, vat, stusds],
        metadata: { migrator, ilk: ilkName, lineAfter: fromRad(after).toFixed(), lineBefore: fromRad(before).toFixed(), stusdsLine: fromRad(expected).toFixed(), stusdsCap: fromRad(stLine).toFixed(), due: fromRad(due).toFixed(), txHash: tx.hash },
      }),
    );
    return out;
  }

  /**
   * The old ilk's line as read at block `hash` (in memory only: a restart or a reorg reads it again),
   * carried to the next block when it has no Vat note naming the ilk first (only file(ilk, "line")
   * writes a line) and no ChainLog log.
   */
  let oldLine: { hash: string; vat: string; ilk: string; line: string } | undefined;

  async function carriedLine(parentHash: string | undefined, txCount: number | undefined, vat: string, ilk: string, n: number): Promise<string | undefined> {
    if (!oldLine || oldLine.vat !== vat || oldLine.ilk !== ilk) return undefined;
    const logs = await carryableLogs(ctx.rpc, { n, txCount, parentHash, carriedAt: oldLine.hash, chainlog: cfg.chainlog });
    const changes = (l: { address: string; topics: readonly string[] }) => l.address.toLowerCase() === vat && String(l.topics[1] ?? "").toLowerCase() === ilk.toLowerCase();
    return logs && !logs.some(changes) ? oldLine.line : undefined;
  }

  async function onBlock(block: BlockRef, chainId: number, txCount?: number, parentHash?: string): Promise<Finding[]> {
    const migrator = book.tryGetAddress("LOCKSTAKE_MIGRATOR");
    const vat = book.tryGetAddress("MCD_VAT");
    if (!migrator || !vat) return [];
    const { oldIlk } = await ilks(migrator, block.number);
    const line = (await carriedLine(parentHash, txCount, vat, oldIlk, block.number)) ?? str((await contract(ctx.rpc, vat, VAT_IFACE, "Vat").read("ilks", [oldIlk], block.number)).line);
    oldLine = { hash: block.hash.toLowerCase(), vat, ilk: oldIlk, line };
    const t = oldLineEp.observe(oldIlk, line === "0" ? null : "open", block);
    if (!t) return [];
    const name = fromBytes32(oldIlk);
    return [
      episodeFinding(ALERTS.oldIlkLine, t, () => FindingSeverity.Medium, {
        description:
          t.kind === "resolved"
            ? `${name} (the MKR v1 Lockstake ilk): line back to 0`
            : `${name} (the MKR v1 Lockstake ilk) has a line of ${usds(line)}: MKR urns may borrow again, and LOCKSTAKE_MIGRATOR (which requires it to be 0) refuses urns with debt`,
        key: [chainId, oldIlk],
        addresses: [vat, migrator],
        metadata: { ilk: name, line: fromRad(line).toFixed(), migrator },
      }),
    ];
  }

  return { onTransaction, onBlock };
}
