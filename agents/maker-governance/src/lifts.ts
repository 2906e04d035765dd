/**
 * The lifts watcher (MCD_ADM, either chief): hat changes, lifts by unknown lifters, the governance
 * flash-loan takeover pattern (tokens arrive, are locked, the hat moves, all in one transaction),
 * and after any chief activity the hat watcher's two episodes re-checked.
 */
import type { TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { ERC20_IFACE } from "../../../shared/abi";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents } from "../../../shared/logs";
import { describeOrigin } from "../../../shared/maker/governance";
import { fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { chiefActions, type ChiefAction } from "./chief";
import type { GovDeps, TxScope } from "./deps";
import { governanceTakeover, hatMoves, isKnownLifter, type TokenTransfer } from "./detectors";
import type { HatWatcher } from "./hat";
import { placeUndecodable, type Placed, type Watcher } from "./watcher";

export function liftsWatcher(deps: GovDeps, hat: HatWatcher): Watcher<TxScope> {
  const { config, book, state, chiefReader, tokens } = deps;
  const knownLifters = new Set([...config.knownLifters, ...config.spellDeployers]);

  async function handleChief(tx: TransactionEvent, chief: string, block: BlockRef): Promise<Placed[]> {
    const out: Placed[] = [];
    const { actions, undecodable } = chiefActions(tx.logs, chief);
    const lifts = actions.filter((a): a is ChiefAction & { whom: string } => a.kind === "lift" && !!a.whom);
    let last = Infinity;
    if (lifts.length) {
      const reader = chiefReader(chief);
      const approvals = await Promise.all(lifts.map((l) => reader.read("approvals", [l.whom], block.number)));
      const origins = await Promise.all(lifts.map((l) => deps.knownSpell(l.whom, block)));
      const moves = hatMoves(state.hat, lifts.map((l) => l.whom));
      lifts.forEach((l, i) => {
        const previous = moves[i]!.previous ?? "";
        state.hat = l.whom;
        const lifter = l.caller ?? tx.from;
        const ap = (approvals[i]![0] as ethers.BigNumber).toString();
        const key = logKey(tx.network, block, tx.hash, l.logIndex);
        // a lift of the hat already in place (which the chiefs refuse) moved nothing: no HAT-CHANGED
        if (moves[i]!.moved) out.push({
          at: l.logIndex,
          finding: createFinding(ALERTS.hatChanged, {
            description: `The chief ${chief}'s hat moved from ${previous || "(unknown)"} to ${l.whom} (${describeOrigin(origins[i]!)}), lifted by ${lifter} with ${tokens(ap)} approvals`,
            key,
            block,
            addresses: [chief, l.whom, lifter, tx.from],
            metadata: { chief, previousHat: previous, hat: l.whom, lifter, approvalsWad: ap, approvals: fromWad(ap).toFixed(), spellKnown: String(origins[i] !== null), spellOrigin: describeOrigin(origins[i]!), txHash: tx.hash, txFrom: tx.from },
          }),
        });
        if (!isKnownLifter(l.caller, tx.from, knownLifters)) {
          out.push({
            at: l.logIndex + 0.1,
            finding: createFinding(ALERTS.lifter, {
              description: `The chief ${chief}'s hat was lifted to ${l.whom} by ${lifter}${l.caller && l.caller !== tx.from ? ` (transaction from ${tx.from})` : ""}, not a known lifter`,
              key,
              block,
              addresses: [chief, lifter, tx.from, l.whom],
              metadata: { chief, lifter, txFrom: tx.from, hat: l.whom, knownLifters: [...knownLifters].join(","), txHash: tx.hash },
            }),
          });
        }
      });
      last = lifts[lifts.length - 1]!.logIndex;
      for (const f of await hat.checkHatKnown(chief, state.hat!, block, tx.network)) out.push({ at: last + 0.3, finding: f });

      // the governance flash-loan pattern
      if (state.gov) {
        const t = decodeEvents(tx.logs, ERC20_IFACE, state.gov, ["Transfer"]);
        undecodable.push(...t.undecodable);
        const transfers: TokenTransfer[] = t.events.map((e) => ({
          logIndex: e.logIndex,
          from: String(e.args.from).toLowerCase(),
          to: String(e.args.to).toLowerCase(),
          wad: (e.args.value as ethers.BigNumber).toBigInt(),
        }));
        const ev = governanceTakeover(chief, transfers, actions);
        if (ev) {
          const accounts = ev.participants.map((p) => p.account);
          const sources = [...new Set(ev.participants.flatMap((p) => p.sources))];
          out.push({
            at: ev.lift.logIndex + 0.2,
            finding: createFinding(ALERTS.takeover, {
              description:
                `Governance takeover pattern in one transaction: ${tokens(ev.received)} governance tokens reached ${accounts.join(", ")} from ${sources.join(", ")}, ` +
                `${tokens(ev.locked)} were locked in the chief ${chief}${ev.participants.some((p) => p.voted) ? " and voted" : ""}, and the hat moved to ${ev.lift.whom}` +
                (ev.repaidInTx ? "; the tokens were freed and returned in the same transaction (a flash loan)" : ""),
              key: logKey(tx.network, block, tx.hash, ev.lift.logIndex),
              block,
              addresses: [chief, ev.lift.whom!, tx.from, ...accounts, ...sources],
              metadata: {
                chief,
                hat: ev.lift.whom ?? "",
                lifter: ev.lift.caller ?? tx.from,
                accounts: accounts.join(","),
                sources: sources.join(","),
                receivedWad: ev.received.toString(),
                received: fromWad(ev.received.toString()).toFixed(),
                lockedWad: ev.locked.toString(),
                locked: fromWad(ev.locked.toString()).toFixed(),
                freedWad: ev.participants.reduce((s, p) => s + p.freed, 0n).toString(),
                returnedWad: ev.participants.reduce((s, p) => s + p.returned, 0n).toString(),
                voted: String(ev.participants.some((p) => p.voted)),
                repaidInTx: String(ev.repaidInTx),
                govToken: state.gov,
                txHash: tx.hash,
                txFrom: tx.from,
                txTo: tx.to ?? "",
              },
            }),
          });
        }
      }
    }
    // any activity of the chief may change the hat's approvals: re-check (reads are cached per block)
    const touched = tx.logs.some((l) => l.address.toLowerCase() === chief);
    if (touched) {
      const at = Math.max(...tx.logs.filter((l) => l.address.toLowerCase() === chief).map((l) => l.logIndex)) + 0.4;
      for (const f of await hat.checkApprovals(chief, block, tx.network)) out.push({ at, finding: f });
    }
    return [...out, ...placeUndecodable(tx, block, undecodable)];
  }

  return {
    async onTransaction(tx, scope) {
      const chief = book.tryGetAddress("MCD_ADM");
      if (!chief) return [];
      const out: Placed[] = [];
      // not following this chief yet (its first transaction before the first block handler ran)
      if (state.chief !== chief) for (const finding of await hat.syncChief(chief, scope.block, tx.network)) out.push({ at: -1, finding });
      out.push(...(await handleChief(tx, chief, scope.block)));
      return out;
    },
  };
}
