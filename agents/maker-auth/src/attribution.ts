/** Governance attribution moved to shared/maker/attribution.ts (every Maker bot uses it now). */
export * from "../../../shared/maker/attribution";
