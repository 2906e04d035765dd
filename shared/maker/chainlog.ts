/**
 * The Maker address book: every contract a Maker bot watches is found through an on-chain
 * ChainLog (`MAKER_CHAINLOG`, mainnet `CHANGELOG`), never hard-coded, and the book follows the
 * ChainLog's `UpdateAddress` / `RemoveAddress` / `UpdateVersion` events so that a bot learns of a
 * new OSM or a replaced clipper in the block it happens.
 *
 * Loading costs two JSON-RPC round trips whatever the number of keys (chainlog/read.ts says which).
 *
 * State and checkpoints: the book is a view over a plain JSON object (`AddressBookState`). Keep
 * that object in `ctx.persistent(...)`, as below: the runtime then checkpoints it with its cursor
 * after every block, restores it after a restart (no reload needed) and rewinds it on a reorg,
 * which undoes an `UpdateAddress` seen in an orphaned block. Re-loading at a block instead would
 * be cheap at start-up but could not undo updates applied from blocks that were later orphaned.
 * On mainnet the full state is ~35 KB of JSON; a bot that needs a few keys can pass `keep` (e.g.
 * `/^PIP_/`) to hold and follow only those.
 *
 * ```ts
 * const cfg = readConfig({ chainlog: MAKER_CHAINLOG_FIELD, ... }, ctx.env);
 * const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, { keep })), cfg.chainlog, { keep });
 * // initialize:
 * await book.ensureLoaded(ctx.rpc, ctx.initBlock);
 * // handleTransaction:
 * for (const change of book.applyTransaction(txEvent)) { ... start or stop watching change.to ... }
 * ```
 *
 * Keys whose address is zero are treated as absent (the ChainLog's own `getAddress` reverts for
 * them; mainnet lists `FAUCET` so).
 *
 * This file is the door bots import; the parts live in chainlog/:
 *   - address-book.ts  `AddressBook`: the view over the state, lookups, `apply`/`reload`;
 *   - state.ts         `AddressBookState` (plain JSON): empty state, checks of a saved one;
 *   - read.ts          reading the whole ChainLog at one block (two round trips);
 *   - follow.ts        decoding its UpdateAddress/RemoveAddress/UpdateVersion logs, applying them;
 *   - keys.ts          `CHAINLOG_KEYS`, patterns for common groups of keys;
 *   - similar-keys.ts  the "similar keys" of an unknown key's error;
 *   - errors.ts        `ChainlogError`, `UnknownChainlogKeyError`.
 */
export { MAINNET_CHAINLOG, MAKER_CHAINLOG_FIELD } from "./config";
export { AddressBook, type AddressEntry } from "./chainlog/address-book";
export type { AddressBookState } from "./chainlog/state";
export type { AddressBookChange, ChainlogLogInput, ChangeOrigin } from "./chainlog/follow";
export { CHAINLOG_KEYS } from "./chainlog/keys";
export { ChainlogError, UnknownChainlogKeyError } from "./chainlog/errors";
