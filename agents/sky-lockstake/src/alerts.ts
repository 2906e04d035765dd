import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  unliquidatable: { id: "SKY-LOCKSTAKE-UNLIQUIDATABLE", name: "Unsafe Lockstake debt nobody can liquidate (clipper stopped)", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
  utilisation: { id: "SKY-LOCKSTAKE-UTILISATION", name: "stUSDS utilisation by Lockstake debt near or at 100%", severity: FindingSeverity.Medium, type: FindingType.Degraded, protocol },
  custody: { id: "SKY-LOCKSTAKE-CUSTODY", name: "SKY held for Lockstake is less than lsSKY and auction lots", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  lsskyMint: { id: "SKY-LOCKSTAKE-LSSKY-OUTSIDE-ENGINE", name: "lsSKY minted or burnt outside an engine call", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  freeNoFee: { id: "SKY-LOCKSTAKE-FREE-NO-FEE", name: "FreeNoFee on the Lockstake engine (ward-only, nothing should call it)", severity: FindingSeverity.Critical, type: FindingType.Suspicious, protocol },
  engineConfig: { id: "SKY-LOCKSTAKE-ENGINE-CONFIG", name: "Lockstake engine farm or jug changed", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  clipFile: { id: "SKY-LOCKSTAKE-CLIP-FILE", name: "Lockstake clipper parameter changed (stopped, cuttee, vow, ...)", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  kick: { id: "SKY-LOCKSTAKE-KICK", name: "Lockstake auction started", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  takeLow: { id: "SKY-LOCKSTAKE-TAKE-LOW", name: "Lockstake collateral bought far below the capped oracle", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  auctionEnd: { id: "SKY-LOCKSTAKE-AUCTION-END", name: "Lockstake auction ended (short of its debt: stUSDS pays)", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  migrate: { id: "SKY-LOCKSTAKE-MIGRATE", name: "MKR v1 urn migrated to Lockstake SKY", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  migratorLine: { id: "SKY-LOCKSTAKE-MIGRATOR-LINE", name: "A migration left the Lockstake ilk's line where stUSDS would not have it", severity: FindingSeverity.High, type: FindingType.Degraded, protocol },
  oldIlkLine: { id: "SKY-LOCKSTAKE-OLD-ILK-LINE", name: "The MKR v1 Lockstake ilk has a debt ceiling again", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
});
