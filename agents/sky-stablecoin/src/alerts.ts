import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  unbacked: { id: "SKY-USDS-UNBACKED", name: "USDS supply exceeds the Vat dai behind its join", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  unmatchedMint: { id: "SKY-USDS-MINT-UNMATCHED", name: "USDS minted without a UsdsJoin exit", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  conversion: { id: "SKY-CONVERSION-MISMATCH", name: "A DAI/USDS or MKR/SKY conversion did not conserve value", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  mkrSkyBacking: { id: "SKY-MKR-SKY-SHORTFALL", name: "MKR_SKY holds less SKY than outstanding MKR can claim", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  chiDown: { id: "SKY-SUSDS-CHI-DECREASED", name: "sUSDS share price (chi) went down", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  reserve: { id: "SKY-SUSDS-RESERVE", name: "sUSDS holds less USDS than its shares are worth", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  upgraded: { id: "SKY-UPGRADED", name: "USDS or sUSDS implementation upgraded", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  ward: { id: "SKY-STABLE-WARD-ADDED", name: "New ward (minter / admin) on USDS, sUSDS, SKY or MKR_SKY", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
});
