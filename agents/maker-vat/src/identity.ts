/**
 * The Vat's fundamental identity `debt == vice + sum_i(Art_i * rate_i)`, exactly, every block
 * (episode, Critical). Debt the known ilks do not explain first triggers a scan of the Vat's init
 * notes for ilks the bot does not know (ilks.ts); the ilks found join the block's snapshot, so the
 * watchers after this one see them too.
 */
import type { Finding } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { Episodes, episodeFinding, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import { checkIdentity, type IdentityCheck } from "./detectors";
import { ENDING, rad, retiredAddresses, retiredMetadata, type IlkRead, type VatDeps, type VatTracker, type VatWatcher } from "./vat";

export function identityWatcher({ state }: VatDeps, tracker: VatTracker): VatWatcher {
  const identity = new Episodes<"violated">(["violated"], state.identity);
  return {
    name: "identity",
    async onBlock({ block, vat, reader, snap }) {
      const n = block.number;
      let check = checkIdentity(snap.debt, snap.vice, snap.ilks);
      let discovery = "not needed";
      if (check.gap > 0n) {
        // Debt the known ilks do not explain: look for ilks initialised in the Vat that we do not know.
        const found = await tracker.discoverIlks(vat, n);
        discovery = found.error
          ? `scan of Vat init notes from block ${found.from} failed: ${found.error}`
          : `scanned Vat init notes from block ${found.from} to ${n}: ${found.added.length ? `added ${found.added.map(fromBytes32).join(", ")}` : "no unknown ilk"}`;
        if (found.added.length) {
          snap.ilks.push(...(await Promise.all(tracker.readIlks(reader, found.added, n))));
          check = checkIdentity(snap.debt, snap.vice, snap.ilks);
        }
      }
      const t = identity.observe(vat, check.gap === 0n ? null : "violated", block);
      return t ? [identityFinding(t, vat, snap.debt, snap.vice, check, snap.ilks, discovery)] : [];
    },
    retire(old, now, why, block) {
      return identity.resolveExcept(new Set(), block).map((t) =>
        episodeFinding(ALERTS.invariant, t, () => FindingSeverity.Info, {
          description: `Vat ${old} is no longer watched (${why}): the episode about its broken identity ${ENDING}`,
          key: [old],
          addresses: retiredAddresses(old, now),
          metadata: retiredMetadata(old, now),
        }),
      );
    },
  };
}

function identityFinding(t: EpisodeTransition<"violated">, vat: string, debt: bigint, vice: bigint, check: IdentityCheck, ilks: IlkRead[], discovery: string): Finding {
  const gapText = `${check.gap > 0n ? "+" : ""}${check.gap.toString()} rad (${check.gap > 0n ? "+" : ""}${rad(check.gap)} DAI)`;
  const description =
    t.kind === "resolved"
      ? `Vat ${vat}: debt == vice + sum(Art * rate) holds again over ${ilks.length} collateral types`
      : `Vat ${vat}: debt (${debt.toString()} rad) != vice + sum(Art * rate) (${check.rhs.toString()} rad) over ${ilks.length} collateral types; debt - (vice + sum) = ${gapText}. The Vat's accounting can no longer be trusted`;
  return episodeFinding(ALERTS.invariant, t, () => FindingSeverity.Critical, {
    description,
    key: [vat],
    addresses: [vat],
    metadata: {
      vat,
      debtRaw: debt.toString(),
      debt: rad(debt),
      viceRaw: vice.toString(),
      vice: rad(vice),
      ilkDebtRaw: check.ilkDebt.toString(),
      ilkDebt: rad(check.ilkDebt),
      gapRaw: check.gap.toString(),
      gap: rad(check.gap),
      ilkCount: ilks.length,
      ilks: ilks.map((i) => i.name).join(","),
      ilkDiscovery: discovery,
    },
  });
}
