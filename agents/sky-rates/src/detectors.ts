/**
 * sky-rates detection logic: plain functions, no chain access.
 */
export type BoundWhat = "min" | "max" | "step";

/** Does a bound change widen what a bud may do (max or step up, min down)? */
export function loosens(what: string, before: number, after: number): boolean {
  if (what === "min") return after < before;
  if (what === "max" || what === "step") return after > before;
  return false;
}

/** Direction of a move, and whether it is a whole step. */
export function moveOf(beforeBps: number, afterBps: number, step: number): { delta: number; maxStep: boolean; dir: -1 | 0 | 1 } {
  const delta = afterBps - beforeBps;
  return { delta, maxStep: step > 0 && Math.abs(delta) >= step, dir: delta > 0 ? 1 : delta < 0 ? -1 : 0 };
}
