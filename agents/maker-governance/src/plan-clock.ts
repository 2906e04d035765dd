/**
 * MAKER-PAUSE-PLAN-CLOCK: a plan that no known spell scheduled waits in the pause; the governance
 * delay (48 h on mainnet) is the time left to lift Protego or a drop spell against it (sky.md §16,
 * §21). One episode per plan:
 * - opened at the plot (High: the clock runs), or straight at Critical when less than
 *   GOV_PLAN_IMMINENT_HOURS are left already (a short delay, a bypass);
 * - escalated to Critical on the first block whose time is within GOV_PLAN_IMMINENT_HOURS of the eta,
 *   with the plan still scheduled (`plans(hash)` read once, at that block);
 * - resolved (Info, `resolvedBecause`) when the plan is executed or dropped, or found no longer
 *   scheduled without this bot seeing how (e.g. a pause replaced in the ChainLog).
 * Quiet blocks cost no call: the block handler only compares times, and reads when a clock crosses
 * the threshold. State under ctx.persistent("governance-plan-clock").
 */
import type { BlockEvent, Finding } from "forta-agent";
import { PAUSE_IFACE } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import type { GovDeps } from "./deps";

export type ClockLevel = "scheduled" | "imminent";

export interface ClockPlan {
  pause: string;
  usr: string;
  eta: string;
  plotter: string;
  /** the action (usr) is a reviewed one: plotted by a known spell before, or a configured spell */
  actionKnown: boolean;
}

export interface ClockState {
  episodes: EpisodeState<ClockLevel>;
  /** planHash -> the plan its open episode is about */
  plans: Record<string, ClockPlan>;
  /** actions (usr) that known spells plotted (newest last, at most MAX_REVIEWED) */
  reviewedActions: string[];
}

const MAX_REVIEWED = 200;
const emptyClock = (): ClockState => ({ episodes: {}, plans: {}, reviewedActions: [] });

/** How the clock stands at `now` (unix seconds) for a plan due at `eta`. Plain, for unit tests. */
export function clockLevel(eta: string, now: number, imminentSeconds: number): ClockLevel {
  return Number(eta) - now < imminentSeconds ? "imminent" : "scheduled";
}

export type ResolvedBecause = "executed" | "dropped" | "no-longer-planned";

export interface PlanClock {
  /** a plan a known spell scheduled: its action counts as reviewed from now on */
  reviewed(usr: string): void;
  isReviewedAction(usr: string): boolean;
  /** a plan no known spell scheduled: open its episode (the plot's finding) */
  plotted(planHash: string, plan: ClockPlan, block: BlockRef, network: number, txHash: string): Finding | null;
  /** the plan ran or was dropped in this transaction: resolve its episode */
  ended(planHash: string, because: ResolvedBecause, block: BlockRef, network: number, by: string, txHash: string): Finding | null;
  onBlock(block: BlockEvent): Promise<Finding[]>;
}

export function planClock(deps: GovDeps): PlanClock {
  const { ctx, config } = deps;
  const st = ctx.persistent<ClockState>("governance-plan-clock", emptyClock);
  const episodes = new Episodes<ClockLevel>(["scheduled", "imminent"], st.episodes);
  const imminentSeconds = Number(config.planImminentHours.times(3600).integerValue().toFixed());
  const severityOf = (l: ClockLevel) => (l === "imminent" ? FindingSeverity.Critical : FindingSeverity.High);

  function finding(planHash: string, t: EpisodeTransition<ClockLevel>, plan: ClockPlan, network: number, now: number, extra: Record<string, string>): Finding {
    const left = Number(plan.eta) - now;
    const hoursLeft = (left / 3600).toFixed(2);
    const what = `plan ${planHash} (action ${plan.usr}${plan.actionKnown ? ", a reviewed action" : ", NOT a reviewed action"}) scheduled on pause ${plan.pause} by ${plan.plotter}, not a known spell`;
    const description =
      t.kind === "resolved"
        ? `The clock of ${what} stopped: ${extra.resolvedBecause === "executed" ? "the plan was executed" : extra.resolvedBecause === "dropped" ? `the plan was dropped by ${extra.resolvedBy}` : "the plan is no longer scheduled"}`
        : t.kind === "opened" && t.level === "scheduled"
          ? `${what}: it can run at ${iso(plan.eta)}, in ${hoursLeft} h; until then Protego or a drop spell can be lifted to drop it`
          : `${what}: ${left > 0 ? `only ${hoursLeft} h left` : "its eta has passed"} before it can run (${iso(plan.eta)}) and it is still scheduled: lift Protego or a drop spell now`;
    return episodeFinding(ALERTS.planClock, t, severityOf, {
      description,
      key: [network, plan.pause, planHash],
      addresses: [plan.pause, plan.plotter, plan.usr],
      metadata: {
        pause: plan.pause,
        planHash,
        usr: plan.usr,
        plottedBy: plan.plotter,
        actionKnown: String(plan.actionKnown),
        eta: plan.eta,
        etaIso: iso(plan.eta),
        secondsUntilEta: String(left),
        hoursUntilEta: hoursLeft,
        imminentHours: config.planImminentHours.toFixed(),
        ...extra,
      },
    });
  }

  return {
    reviewed(usr) {
      const a = usr.toLowerCase();
      if (st.reviewedActions.includes(a)) return;
      st.reviewedActions.push(a);
      if (st.reviewedActions.length > MAX_REVIEWED) st.reviewedActions.shift();
    },
    isReviewedAction: (usr) => st.reviewedActions.includes(usr.toLowerCase()),
    plotted(planHash, plan, block, network, txHash) {
      const t = episodes.observe(planHash, clockLevel(plan.eta, block.timestamp, imminentSeconds), block);
      if (!t) return null;
      st.plans[planHash] = plan;
      return finding(planHash, t, plan, network, block.timestamp, { txHash });
    },
    ended(planHash, because, block, network, by, txHash) {
      const plan = st.plans[planHash];
      const t = episodes.resolve(planHash, block);
      if (!t || !plan) return null;
      delete st.plans[planHash];
      return finding(planHash, t, plan, network, block.timestamp, { resolvedBecause: because, resolvedBy: by, txHash });
    },
    async onBlock(blockEvent) {
      const block = blockRefOf(blockEvent);
      const out: Finding[] = [];
      for (const planHash of episodes.subjects()) {
        const plan = st.plans[planHash];
        const open = episodes.get(planHash);
        if (!plan || !open || open.peak === "imminent" || clockLevel(plan.eta, block.timestamp, imminentSeconds) !== "imminent") continue;
        const pause = contract(ctx.rpc, plan.pause, PAUSE_IFACE, "DSPause");
        if ((await pause.read("plans", [planHash], block.number))[0]) {
          const t = episodes.observe(planHash, "imminent", block);
          if (t) out.push(finding(planHash, t, plan, blockEvent.network, block.timestamp, {}));
        } else if (block.number > 0 && !(await pause.read("plans", [planHash], block.number - 1))[0]) {
          // gone before this block without an exec or drop this bot saw (this block's own are the transactions')
          const t = episodes.resolve(planHash, block);
          delete st.plans[planHash];
          if (t) out.push(finding(planHash, t, plan, blockEvent.network, block.timestamp, { resolvedBecause: "no-longer-planned", resolvedBy: "", txHash: "" }));
        }
      }
      return out;
    },
  };
}

function iso(unix: string): string {
  const n = Number(unix);
  return Number.isSafeInteger(n) && n >= 0 && n < 8.64e12 ? new Date(n * 1000).toISOString() : unix;
}
