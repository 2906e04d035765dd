/**
 * Decoding a transaction's logs against a contract's named events.
 *
 * Unlike forta-agent's `filterLog`, a log that carries a watched event's topic from a watched
 * address but does not decode is not silently dropped: it is returned as `undecodable`, and
 * `undecodableLogFinding` turns it into a finding, so nothing is lost without a trace.
 */
import { ethers } from "forta-agent";
import type { Finding } from "forta-agent";
import { errorMessage } from "./errors";
import { fastDecodeEventLog } from "./event-decode";
import { FindingSeverity, FindingType, createFinding, defineAlerts, logKey, type BlockRef } from "./findings";

export interface LogInput {
  address: string;
  topics: readonly string[];
  data: string;
  logIndex: number;
}

export interface DecodedEvent {
  /** event name, e.g. "Join" (overloads: the ABI name; `signature` tells them apart) */
  name: string;
  /** canonical signature, e.g. "Cage(bytes32)" */
  signature: string;
  args: ethers.utils.Result;
  address: string;
  logIndex: number;
}

export interface UndecodableLog {
  address: string;
  logIndex: number;
  signature: string;
  error: string;
}

/** `full`: the fragment in full (names, indexed): what decides how a log decodes, whatever the Interface */
type TopicEvent = { fragment: ethers.utils.EventFragment; signature: string; full: string } | null;
/**
 * topic0 -> the interface's event and its canonical signature (null: none of its events), per
 * Interface: ethers' getEvent(topic) re-parses, re-formats and re-hashes every event of the
 * interface on each call (with parseLog, twice per log), which led the bench replay's profile.
 */
const eventsByTopic = new WeakMap<ethers.utils.Interface, Map<string, TopicEvent>>();
function eventOfTopic(iface: ethers.utils.Interface, topic: string): TopicEvent {
  let byTopic = eventsByTopic.get(iface);
  if (!byTopic) eventsByTopic.set(iface, (byTopic = new Map()));
  let e = byTopic.get(topic);
  if (e === undefined) {
    try {
      const fragment = iface.getEvent(topic);
      e = { fragment, signature: fragment.format(ethers.utils.FormatTypes.sighash), full: fragment.format(ethers.utils.FormatTypes.full) };
    } catch {
      e = null; // not one of this contract's events (or an anonymous note)
    }
    byTopic.set(topic, e);
  }
  return e;
}

/**
 * Events of `iface` among `logs` emitted by `addresses` (optionally only the named ones or the
 * given signatures), in log order.
 */
export function decodeEvents(
  logs: readonly LogInput[],
  iface: ethers.utils.Interface,
  addresses: string | readonly (string | undefined)[],
  only?: readonly string[],
): { events: DecodedEvent[]; undecodable: UndecodableLog[] } {
  const one = typeof addresses === "string" ? addresses.toLowerCase() : undefined;
  const from = one === undefined ? new Set((addresses as readonly (string | undefined)[]).filter((a): a is string => !!a).map((a) => a.toLowerCase())) : undefined;
  const events: DecodedEvent[] = [];
  const undecodable: UndecodableLog[] = [];
  for (const log of logs) {
    if (log.topics.length === 0) continue;
    const address = log.address.toLowerCase();
    if (one !== undefined ? address !== one : !from!.has(address)) continue;
    const known = eventOfTopic(iface, log.topics[0]!);
    if (!known) continue;
    const { fragment, signature } = known;
    if (only && !only.includes(fragment.name) && !only.includes(signature)) continue;
    const args = decodeLog(iface, known, log);
    if (typeof args === "string") undecodable.push({ address, logIndex: log.logIndex, signature, error: args });
    else events.push({ name: fragment.name, signature, args, address, logIndex: log.logIndex });
  }
  return { events, undecodable };
}

/**
 * A log's arguments as `known` decodes them (a string: why it does not). Kept per log object and event (in full, so two ABIs
 * naming the arguments differently do not share): the bots see the same log objects, and
 * several decode the same Transfer; an ethers Result is frozen, so one can be handed to all.
 */
const decodedLogs = new WeakMap<LogInput, Map<string, ethers.utils.Result | string>>();
function decodeLog(iface: ethers.utils.Interface, known: NonNullable<TopicEvent>, log: LogInput): ethers.utils.Result | string {
  const { fragment } = known;
  if (fragment.anonymous) {
    // what parseLog gives, as before (its null for an anonymous event fails here, and the log is undecodable); not kept
    try {
      return iface.parseLog({ topics: [...log.topics], data: log.data }).args;
    } catch (err) {
      return errorMessage(err).split(" (")[0]!;
    }
  }
  let byEvent = decodedLogs.get(log);
  const had = byEvent?.get(known.full);
  if (had !== undefined) return had;
  let out: ethers.utils.Result | string;
  try {
    // what parseLog gives, without its second topic lookup
    out = fastDecodeEventLog(fragment, log.data, log.topics) ?? iface.decodeEventLog(fragment, log.data, [...log.topics]);
  } catch (err) {
    out = errorMessage(err).split(" (")[0]!;
  }
  if (!byEvent) decodedLogs.set(log, (byEvent = new Map()));
  byEvent.set(known.full, out);
  return out;
}

const ALERTS = defineAlerts({
  undecodable: {
    id: "VIGIL-UNDECODABLE-LOG",
    name: "A watched contract emitted a log that does not decode",
    severity: FindingSeverity.Low,
    type: FindingType.Degraded,
    protocol: "vigil",
  },
});

export function undecodableLogFinding(chainId: number, block: BlockRef, txHash: string, u: UndecodableLog): Finding {
  return createFinding(ALERTS.undecodable, {
    description: `Log ${u.logIndex} of ${txHash} from ${u.address} has the topic of ${u.signature} but does not decode: ${u.error}`,
    key: logKey(chainId, block, txHash, u.logIndex),
    block,
    metadata: { contract: u.address, event: u.signature, logIndex: u.logIndex, error: u.error },
    addresses: [u.address],
  });
}
