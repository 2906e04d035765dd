/**
 * maker-liquidations' "this event happened" alerts, one row each (shared/watchers.ts runs the
 * table): a large Bark on the Dog, any Bite on the legacy Cat.
 */
import { fromBytes32 } from "../../../shared/abi";
import { FindingSeverity } from "../../../shared/findings";
import { formatAmount, fromWad } from "../../../shared/math";
import { eventAlerts, type EventAlert, type Watcher } from "../../../shared/watchers";
import { ALERTS } from "./alerts";
import { barkLevel } from "./detectors";
import { big, dai, daiHuman, type LiqDeps, type LiqTx } from "./model";

export const EVENT_ALERTS: readonly EventAlert<LiqDeps>[] = [
  {
    contract: "MCD_DOG",
    event: "Bark",
    alert: ALERTS.largeBark,
    describe(e, { address: dog, txHash, context: { cfg, rad }, from }) {
      const due = big(e.args.due);
      const level = barkLevel(due, rad.barkMedium, rad.barkHigh);
      if (!level) return undefined;
      const ilk = fromBytes32(String(e.args.ilk).toLowerCase());
      const clip = String(e.args.clip).toLowerCase();
      const urn = String(e.args.urn).toLowerCase();
      return {
        description: `${ilk} vault ${urn} liquidated: ${daiHuman(due)} of debt and ${formatAmount(fromWad(big(e.args.ink).toString()), 4)} ${ilk} collateral sent to auction ${e.args.id.toString()} (Clipper ${clip}); bark sent by ${from}`,
        severity: level === "high" ? FindingSeverity.High : FindingSeverity.Medium,
        addresses: [dog, urn, clip, from],
        metadata: {
          dog,
          ilk,
          urn,
          clip,
          id: e.args.id.toString(),
          inkRaw: big(e.args.ink).toString(),
          ink: fromWad(big(e.args.ink).toString()).toFixed(),
          artRaw: big(e.args.art).toString(),
          dueRaw: due.toString(),
          due: dai(due),
          mediumAt: cfg.barkMedium.toFixed(),
          highAt: cfg.barkHigh.toFixed(),
          from,
          txHash,
        },
      };
    },
  },
  {
    contract: "MCD_CAT",
    event: "Bite",
    alert: ALERTS.catBite,
    describe(e, { address: cat, txHash, from }) {
      const ilk = fromBytes32(String(e.args.ilk));
      const urn = String(e.args.urn).toLowerCase();
      const flip = String(e.args.flip).toLowerCase();
      const due = big(e.args.tab);
      return {
        description: `${ilk} vault ${urn} liquidated through the legacy Cat ${cat}: ${daiHuman(due)} of debt and ${formatAmount(fromWad(big(e.args.ink).toString()), 4)} ${ilk} collateral sent to flip auction ${e.args.id.toString()} (Flipper ${flip}); English auctions like this one let a lone bidder win at almost no price (March 2020)`,
        addresses: [cat, urn, flip, from],
        metadata: {
          cat,
          ilk,
          urn,
          flip,
          id: e.args.id.toString(),
          inkRaw: big(e.args.ink).toString(),
          artRaw: big(e.args.art).toString(),
          dueRaw: due.toString(),
          due: dai(due),
          from,
          txHash,
        },
      };
    },
  },
];

/** Runs EVENT_ALERTS over the transaction's Dog and Cat events. */
export function eventTableWatcher(deps: LiqDeps): Watcher<LiqTx> {
  return {
    async onTransaction({ tx, block, dog, cat, dogEvents, catEvents }) {
      const events = [...(dog ? dogEvents.map((event) => ({ contract: "MCD_DOG", event })) : []), ...(cat ? catEvents.map((event) => ({ contract: "MCD_CAT", event })) : [])];
      return eventAlerts(EVENT_ALERTS, events, { chainId: tx.network, block, txHash: tx.hash, from: tx.from, context: deps });
    },
  };
}
