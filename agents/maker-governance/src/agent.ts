/**
 * maker-governance: MakerDAO's (Sky's) executive governance.
 *
 * - Chief (MCD_ADM; ds-chief 1.2 ds-notes or the 2025 SKY chief's events): hat changes, a hat that
 *   is not a known spell (an episode), the hat's approvals below a threshold (an episode), lifts by
 *   unknown lifters, and the governance flash-loan pattern (tokens arrive, are locked, the hat moves,
 *   all in one transaction).
 * - DSPause (MCD_PAUSE): plot (known spell, unknown caller, delay bypassed), drop, exec (naming what
 *   ran), setDelay, setOwner, setAuthority; the 48 h clock of a plan no known spell scheduled (an
 *   episode, plan-clock.ts).
 * - The 2025 Chief's emergency paths (emergency.ts, sky-chief.ts): lifts classified, MOMs called by
 *   the hat, emergency spells scheduled or failing, Protego, VoteDelegates of both factories.
 * Addresses come from the ChainLog (MAKER_CHAINLOG) and follow its updates.
 *
 * This file only assembles the watchers (src/watcher.ts): hat.ts (the chief followed, the hat
 * episodes), pause.ts (the pause's notes and events), lifts.ts (lifts, lifters, takeovers).
 */
import type { TransactionEvent } from "forta-agent";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { followChainlog } from "../../../shared/maker/tx";
import { govDeps, type TxScope } from "./deps";
import { hatWatcher } from "./hat";
import { liftsWatcher } from "./lifts";
import { pauseWatcher } from "./pause";
import { planClock } from "./plan-clock";
import { emergencyWatcher, outsideSpellMayAct } from "./emergency";
import { bookHas, touching } from "../../../shared/interest";
import { skyChiefWatcher } from "./sky-chief";
import { initializeAll, placeUndecodable, runBlock, runTransaction, type Watcher } from "./watcher";

export const BOT = "maker-governance";

export function createAgent(ctx: BotContext): Agent {
  const deps = govDeps(ctx);
  const { book, callers } = deps;
  const hat = hatWatcher(deps);
  const clock = planClock(deps);
  // fixed order: the chief followed first (a re-pointed MCD_ADM), then the pause (its plots name the
  // hat before this transaction's lifts), then the lifts; the emergency paths before the pause (a
  // drop names the plan the pause watcher then forgets), the new Chief's verdicts before the lifts
  const watchers: Watcher<TxScope>[] = [hat, emergencyWatcher(deps), pauseWatcher(deps, clock), skyChiefWatcher(deps), liftsWatcher(deps, hat), { onBlock: clock.onBlock }];
  // what handleTransaction reads: logs of the book's contracts (chiefs, pause, Protego, MOMs, EMSPs,
  // VoteDelegate factories, the ChainLog) and the emergency spells outside it (emergency.ts); every
  // transaction until the chief's kind is read (sky-chief.ts reads it in the first one and keeps it)
  const touchesBook = touching(book);
  const [fabs, protego] = [bookHas(book, /^EMSP_[A-Z0-9_]+_FAB$/), bookHas(book, /^MCD_PROTEGO$/)];
  const chiefUnread = () => {
    const chief = book.tryGetAddress("MCD_ADM");
    return chief !== undefined && !deps.vetting.knowsChief(chief);
  };

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      await initializeAll(watchers);
    },
    handleBlock: (blockEvent) => runBlock(watchers, blockEvent),
    async handleTransaction(tx: TransactionEvent) {
      const block = blockRefOf(tx);
      const pauseBefore = book.tryGetAddress("MCD_PAUSE");
      const followed = followChainlog(book, tx);
      const scope: TxScope = {
        tx,
        block,
        pauseBefore,
        chiefRepointed: followed.changes.some((c) => c.key === "MCD_ADM"),
        callers: callers.observe(tx),
      };
      return runTransaction(watchers, tx, scope, placeUndecodable(tx, block, followed.undecodable));
    },
    wantsTransaction: (tx) => touchesBook(tx) || outsideSpellMayAct(tx, fabs(), protego()) || chiefUnread(),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
