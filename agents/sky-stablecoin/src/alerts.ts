import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "sky";

export const ALERTS = defineAlerts({
  unbacked: { id: "SKY-USDS-UNBACKED", name: "USDS supply exceeds the Vat dai behind its join", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  unmatchedMint: { id: "SKY-USDS-MINT-UNMATCHED", name: "USDS minted without a UsdsJoin exit", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  conversion: { id: "SKY-CONVERSION-MISMATCH", name: "A DAI/USDS or MKR/SKY conversion did not conserve value", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  mkrSkyBacking: { id: "SKY-MKR-SKY-SHORTFALL", name: "MKR_SKY holds less SKY than outstanding MKR can claim", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  chiDown: { id: "SKY-SAVINGS-CHI-DECREASED", name: "sUSDS or stUSDS share price (chi) went down without a Cut", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  reserve: { id: "SKY-SAVINGS-RESERVE", name: "sUSDS or stUSDS holds less USDS than its shares are worth", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
  cut: { id: "SKY-STUSDS-CUT", name: "stUSDS depositors slashed (Cut)", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  upgraded: { id: "SKY-UPGRADED", name: "USDS, sUSDS or stUSDS implementation upgraded", severity: FindingSeverity.Medium, type: FindingType.Info, protocol },
  ward: { id: "SKY-STABLE-WARD-ADDED", name: "New ward (minter / admin) on USDS, sUSDS, stUSDS, SKY or MKR_SKY", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol },
  surge: { id: "SKY-USDS-TO-DAI-SURGE", name: "Net USDS -> DAI conversions surged (peg or run signal)", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  bigDrip: { id: "SKY-SUSDS-DRIP-LARGE", name: "An sUSDS drip minted a very large yield, or more than its rate and time explain", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  mkrSkyAdmin: { id: "SKY-MKR-SKY-ADMIN", name: "MKR_SKY fee changed, fees collected or SKY burned", severity: FindingSeverity.Low, type: FindingType.Info, protocol },
  skyMint: { id: "SKY-MINT-UNKNOWN", name: "SKY minted by no known minter", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
});
