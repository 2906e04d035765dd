import { VigilError } from "../errors";
import { TransientError } from "../net/retry";
import { maskUrl } from "../net/secrets";

/**
 * A beacon node answered, but not with what the Beacon API promises for this route (missing
 * field, a number where a decimal string belongs, an integer out of range...). Names the route
 * and the endpoint (masked), never a key.
 */
export class BeaconAnswerError extends VigilError<"BEACON_BAD_ANSWER"> {
  constructor(
    readonly route: string,
    readonly url: string,
    readonly problem: string,
  ) {
    super(
      "BEACON_BAD_ANSWER",
      `${route} from ${maskUrl(url)}: unusable answer: ${problem}. ` +
        `Check that BEACON_API_URL points at a beacon node serving the standard Beacon Node API.`,
    );
  }
}

/**
 * The node does not have the state asked for yet (a slot beyond its head: it is behind or
 * syncing). Transient, so a client with several URLs tries the next one.
 */
export class BeaconStateUnavailableError extends TransientError {
  constructor(route: string, url: string) {
    super(`${route} from ${maskUrl(url)}: state not available on this node yet (is it behind or syncing?)`);
  }
}

/**
 * A state by slot the node does not have: past its head (behind, syncing), or at a slot without
 * a block on a client that keeps no states there (Lodestar: 404 "No state found", for good).
 * Transient, like its parent, so that another node is asked; `BeaconClient.atEpochStart` tells
 * the two apart.
 */
export class BeaconSlotStateMissingError extends BeaconStateUnavailableError {
  constructor(
    route: string,
    url: string,
    readonly slot: number,
  ) {
    super(route, url);
  }
}

/**
 * No block at all in an epoch (every slot of it empty, up to its last): no state of that epoch
 * can be read on a client that keeps states only at blocks. Not an error of the node: the epoch's
 * check has nothing to read.
 */
export class EpochWithoutBlocksError extends VigilError<"EPOCH_WITHOUT_BLOCKS"> {
  constructor(
    readonly firstSlot: number,
    readonly lastSlot: number,
  ) {
    super("EPOCH_WITHOUT_BLOCKS", `no block in slots ${firstSlot}-${lastSlot}: the epoch has no state to read at any of its slots`);
  }
}
