/**
 * Configuration every Maker bot reads the same way.
 */
import { field } from "../config";

/** The mainnet ChainLog (`CHANGELOG`). */
export const MAINNET_CHAINLOG = "0xdA0Ab1e0017DEbCd72Be8599041a2aa3bA7e740F";

/**
 * `MAKER_CHAINLOG`: the ChainLog every Maker contract is resolved through (lowercase address).
 * Put it in the bot's config spec: `readConfig({ chainlog: MAKER_CHAINLOG_FIELD, ... }, ctx.env)`.
 */
export const MAKER_CHAINLOG_FIELD = field.address(
  "MAKER_CHAINLOG",
  MAINNET_CHAINLOG,
  "Address of the Maker ChainLog (CHANGELOG) through which every Maker contract is found; the mainnet one by default, the deployment's own on a devnet or fork",
);
