/**
 * sky-bridges detection logic: plain functions over raw integers (exact), no chain access.
 */
import { dec, type Decimal, type RawInt } from "../../../shared/math";

/** Does a new rate limit let more through than the old one (a higher limit, or the same limit over a shorter window)? */
export function limitRaised(before: { limit: RawInt; window: RawInt }, after: { limit: RawInt; window: RawInt }): boolean {
  const [bl, bw, al, aw] = [dec(before.limit), dec(before.window), dec(after.limit), dec(after.window)];
  if (al.gt(bl)) return true;
  if (al.lt(bl)) return false;
  return aw.lt(bw);
}

/** Inbound use of a limit: the fraction in flight, and whether it reaches `fraction` (a zero limit with nothing in flight is unused). */
export function inboundUse(inFlight: RawInt, limit: RawInt, fraction: Decimal): { used: Decimal; near: boolean } {
  const l = dec(limit);
  const f = dec(inFlight);
  if (l.isZero()) return { used: dec(f.isZero() ? 0 : 1), near: !f.isZero() };
  const used = f.div(l);
  return { used, near: used.gte(fraction) };
}

/** A bytes32 peer with nothing in it removes the peer. */
export function isNoPeer(peer: string): boolean {
  return /^0x0*$/.test(peer);
}
