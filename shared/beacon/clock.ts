/**
 * Slot and epoch arithmetic. After the merge every execution block is the payload of the beacon
 * block of one slot, and its timestamp is that slot's start: genesis_time + slot * SECONDS_PER_SLOT.
 * So an execution block's timestamp tells the consensus bots which slot and epoch they are at.
 */
import { VigilError } from "../errors";

export interface ClockParams {
  genesisTime: number;
  secondsPerSlot: number;
  slotsPerEpoch: number;
}

export class BeaconClock implements ClockParams {
  readonly genesisTime: number;
  readonly secondsPerSlot: number;
  readonly slotsPerEpoch: number;

  constructor(p: ClockParams) {
    for (const [k, v] of Object.entries(p)) {
      if (!Number.isSafeInteger(v) || v < 0) throw new VigilError("BEACON_CLOCK", `beacon clock: ${k}=${v} must be a non-negative integer`);
    }
    if (p.secondsPerSlot === 0 || p.slotsPerEpoch === 0) {
      throw new VigilError("BEACON_CLOCK", "beacon clock: SECONDS_PER_SLOT and SLOTS_PER_EPOCH must be positive");
    }
    this.genesisTime = p.genesisTime;
    this.secondsPerSlot = p.secondsPerSlot;
    this.slotsPerEpoch = p.slotsPerEpoch;
  }

  /** The slot whose time span contains `timestamp` (unix seconds); 0 before genesis. */
  slotAt(timestamp: number): number {
    if (timestamp < this.genesisTime) return 0;
    return Math.floor((timestamp - this.genesisTime) / this.secondsPerSlot);
  }

  epochAt(timestamp: number): number {
    return this.epochOf(this.slotAt(timestamp));
  }

  epochOf(slot: number): number {
    return Math.floor(slot / this.slotsPerEpoch);
  }

  startSlot(epoch: number): number {
    return epoch * this.slotsPerEpoch;
  }

  /** unix seconds at which `slot` starts */
  slotTime(slot: number): number {
    return this.genesisTime + slot * this.secondsPerSlot;
  }

  epochTime(epoch: number): number {
    return this.slotTime(this.startSlot(epoch));
  }
}
