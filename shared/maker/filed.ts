/**
 * "Was X": the value a parameter held just before a `File` event. Reading the contract at the
 * block before is right for the first `File` of a parameter in a block, but a spell that sets a
 * parameter and sets it again (or restores it) in the same block would then report the value from
 * before the block for both. The values filed earlier in the block are remembered here, in plain
 * JSON for `ctx.persistent` (so a reorg or a restart rewinds them with the rest of the bot's state).
 */
export interface FiledThisBlock {
  block: number;
  /** `${contract}:${what}` -> the raw value filed last in `block` */
  values: Record<string, string>;
}

export const emptyFiled = (): FiledThisBlock => ({ block: -1, values: {} });

/**
 * The value before this `File` of `what` on `contract`: the last value filed earlier in the same
 * block, or else `readBefore()` (the contract's getter at the block before). Then records `value`
 * as the parameter's latest. Calls must come in the block's log order (the runtime and the Forta
 * CLI hand a bot a block's transactions in order).
 */
export async function previousFiled(
  state: FiledThisBlock,
  block: number,
  contract: string,
  what: string,
  value: string,
  readBefore: () => Promise<string>,
): Promise<string> {
  if (state.block !== block) {
    state.block = block;
    state.values = {};
  }
  const key = `${contract.toLowerCase()}:${what}`;
  const previous = state.values[key] ?? (await readBefore());
  state.values[key] = value;
  return previous;
}
