/**
 * Lasting conditions, checked every block (episodes):
 * - the Vow's net position (dai - sin) against the Kicker's threshold (kbump + khump): near it,
 *   burns are about to stop; below it, they have stopped (the protocol has run at a loss);
 * - the flap oracle's last poke (Scribe `_pokeData`, read from storage: reading `read()` needs a
 *   toll) older than the configured age.
 *
 * The Kicker's `vow`, `kbump` and `khump` and the flapper's `pip` change only by `file` (a File log
 * of the Kicker or the flapper) or with a new Kicker or flapper in the ChainLog, so they are
 * carried over from the parent block when the block has no log of the Kicker, the flapper or the
 * ChainLog (`carried`): then the block needs only the Vat's dai and sin of the vow, in one round
 * with the other bots' reads, instead of three rounds of five reads. The pip's `_pokeData` is
 * carried too when the block also has no log of the pip (the Scribe writes it only in a poke,
 * which logs Poked). Otherwise, and after a restart or a reorg (the parent is not the block they
 * were read at), they are read again.
 */
import type { Finding } from "forta-agent";
import { VAT_IFACE } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { dec, formatAmount, fromWad } from "../../../shared/math";
import { carryableLogs, emittersOf } from "../../../shared/rpc/block-logs";
import { contract, readStorage } from "../../../shared/rpc/contract";
import { FLAPPER_IFACE, KICKER_IFACE, SCRIBE_POKE_SLOT } from "./abi";
import { ALERTS } from "./alerts";
import { headroomOf, pokeDataOf, type HeadroomLevel } from "./detectors";
import type { Watcher } from "../../../shared/watchers";
import { lc, str, type WatcherDeps } from "./deps";

interface State {
  headroom: EpisodeState<HeadroomLevel>;
  stale: EpisodeState<"stale">;
}

interface Known {
  hash: string;
  kicker?: string;
  vow?: string;
  kbump?: string;
  khump?: string;
  flapper?: string;
  pip?: string;
  poke?: ReturnType<typeof pokeDataOf>;
}

const usds = (radSigned: bigint) => formatAmount(dec(radSigned.toString()).shiftedBy(-45));
const usdsExact = (radSigned: bigint) => dec(radSigned.toString()).shiftedBy(-45).toFixed();

export function positionWatcher({ ctx, config, book }: WatcherDeps): Watcher {
  const state = ctx.persistent<State>("position", () => ({ headroom: {}, stale: {} }));
  const headroom = new Episodes<HeadroomLevel>(["near", "reached"], state.headroom);
  const stale = new Episodes<"stale">(["stale"], state.stale);
  /**
   * The Kicker's and the flapper's parameters (and the pip's poke) as read at the block `hash`, in
   * memory only: a restart or a reorg reads them again. Invalidated by a File of the Kicker or the
   * flapper, a ChainLog update (any log of theirs in the block) and, for `poke`, a log of the pip.
   */
  let known: Known | undefined;

  /** the parent block's vow, kbump, khump and pip (and poke), when nothing in this block can have changed them */
  async function carried(blockEvent: Parameters<Watcher["onBlock"] & {}>[0], kicker?: string, flapper?: string): Promise<Known | undefined> {
    const b = blockEvent.block;
    if (!known || known.kicker !== kicker || known.flapper !== flapper) return undefined;
    const logs = await carryableLogs(ctx.rpc, { n: b.number, txCount: b.transactions.length, parentHash: b.parentHash, carriedAt: known.hash, chainlog: config.chainlog });
    if (!logs) return undefined;
    const emitters = emittersOf(logs);
    if ([kicker, flapper].some((a) => a !== undefined && emitters.has(a))) return undefined;
    return { ...known, poke: known.pip !== undefined && !emitters.has(known.pip) ? known.poke : undefined };
  }

  return {
    async onBlock(blockEvent) {
      const block = blockRefOf(blockEvent);
      const chainId = blockEvent.network;
      const n = block.number;
      const out: Finding[] = [];
      const kicker = book.tryGetAddress("MCD_KICK");
      const vat = book.tryGetAddress("MCD_VAT");
      const flapper = book.tryGetAddress("MCD_FLAP");
      const prev = await carried(blockEvent, kicker, flapper);
      const K = kicker ? contract(ctx.rpc, kicker, KICKER_IFACE, "MCD_KICK") : undefined;
      const vowOf = async () => (prev?.vow ?? lc((await K!.read("vow", [], n))[0]));
      const pipOf = async () => (prev ? prev.pip : flapper ? lc((await contract(ctx.rpc, flapper, FLAPPER_IFACE, "MCD_FLAP").read("pip", [], n))[0]) : undefined);
      const kbumpOf = async () => prev?.kbump ?? str((await K!.read("kbump", [], n))[0]);
      const khumpOf = async () => prev?.khump ?? str((await K!.read("khump", [], n))[0]);
      const [kick, pipRead] = await Promise.all([
        K && vat
          ? (async () => {
              const V = contract(ctx.rpc, vat, VAT_IFACE, "MCD_VAT");
              const vowP = vowOf(); // the Vat's reads go out as soon as the vow is known, not after kbump's answer
              const [kbump, khump, vow, [dai], [sin]] = await Promise.all([kbumpOf(), khumpOf(), vowP, vowP.then((v) => V.read("dai", [v], n)), vowP.then((v) => V.read("sin", [v], n))]);
              return { vow, kbump, khump, dai: str(dai), sin: str(sin) };
            })()
          : null,
        pipOf().then(async (p) => (p ? { pip: p, poke: prev?.poke ?? pokeDataOf(await readStorage(ctx.rpc, p, SCRIBE_POKE_SLOT, n)) } : null)),
      ]);
      known = { hash: lc(blockEvent.block.hash), kicker, vow: kick?.vow ?? prev?.vow, kbump: kick?.kbump, khump: kick?.khump, flapper, pip: pipRead?.pip, poke: pipRead?.poke };
      const pip = pipRead?.pip;

      if (kicker && kick) {
        const h = headroomOf(kick.dai, kick.sin, kick.kbump, kick.khump, config.headroomFraction);
        ctx.observe?.("sky.vow_net_position", usdsExact(h.net));
        const t = headroom.observe(kicker, h.level, block);
        if (t) {
          const where = `the Vow's net position (dai - sin) is ${usds(h.net)} USDS against the Kicker's threshold kbump + khump = ${usds(h.threshold)} USDS`;
          out.push(
            episodeFinding(ALERTS.headroom, t, (l) => (l === "reached" ? FindingSeverity.High : FindingSeverity.Medium), {
              description:
                t.kind === "resolved"
                  ? `Smart Burn Engine: ${where} (headroom ${usds(h.headroom)} USDS): burns can go on`
                  : t.level === "reached"
                    ? `Smart Burn Engine: ${where}: ${usds(-h.headroom)} USDS below it, so the Kicker cannot flap: burns have stopped because the system has run at a loss (sin beyond the buffer)`
                    : `Smart Burn Engine: ${where}: only ${usds(h.headroom)} USDS of headroom left (less than ${usds(h.margin)}): burns are about to stop`,
              key: [chainId, kicker],
              addresses: [kicker, kick.vow],
              metadata: {
                kicker, vow: kick.vow, daiRad: kick.dai, sinRad: kick.sin, net: usdsExact(h.net), kbump: usdsExact(BigInt(kick.kbump)), khump: usdsExact(BigInt(kick.khump)),
                threshold: usdsExact(h.threshold), headroom: usdsExact(h.headroom), nearMargin: usdsExact(h.margin), headroomFraction: config.headroomFraction.toFixed(),
              },
            }),
          );
        }
      }

      if (pipRead && pip) {
        const { val, age } = pipRead.poke;
        const ageSeconds = block.timestamp - age;
        const isStale = val === 0n || ageSeconds > config.oracleMaxAge;
        if (val !== 0n) ctx.observe?.("sky.flap_oracle_price", fromWad(val.toString()).toFixed());
        for (const gone of stale.resolveExcept(new Set([pip]), block)) {
          out.push(
            episodeFinding(ALERTS.oracleStale, gone, () => FindingSeverity.Medium, {
              description: `flap oracle ${gone.subject} is no longer the flapper's pip (now ${pip}): its staleness no longer matters`,
              key: [chainId, gone.subject], addresses: [gone.subject], metadata: { oracle: gone.subject, replacedBy: pip },
            }),
          );
        }
        const t = stale.observe(pip, isStale ? "stale" : null, block);
        if (t) {
          out.push(
            episodeFinding(ALERTS.oracleStale, t, () => FindingSeverity.Medium, {
              description:
                t.kind === "resolved"
                  ? `flap oracle ${pip} was poked again: its price (${fromWad(val.toString()).toFixed()} USD per SKY) is ${ageSeconds} s old`
                  : val === 0n
                    ? `flap oracle ${pip} (the flapper's pip) has no price: every flap reverts`
                    : `flap oracle ${pip} (the flapper's pip, and PIP_SKY's source on mainnet): its price ${fromWad(val.toString()).toFixed()} USD per SKY is ${ageSeconds} s old (more than ${config.oracleMaxAge} s): flaps trade against a stale price`,
              key: [chainId, pip],
              addresses: [pip, ...(flapper ? [flapper] : [])],
              metadata: { oracle: pip, flapper: flapper ?? "", priceWad: val.toString(), price: fromWad(val.toString()).toFixed(), age, ageSeconds, maxAgeSeconds: config.oracleMaxAge },
            }),
          );
        }
      }
      return out;
    },
  };
}
