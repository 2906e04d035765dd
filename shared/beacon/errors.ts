import { VigilError } from "../errors";
import { TransientError } from "../net/retry";
import { maskUrl } from "../net/secrets";

/**
 * A beacon node answered, but not with what the Beacon API promises for this route (missing
 * field, a number where a decimal string belongs, an integer out of range...). Names the route
 * and the endpoint (masked), never a key.
 */
export class BeaconAnswerError extends VigilError {
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
