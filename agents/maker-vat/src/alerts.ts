import { FindingSeverity, FindingType, defineAlerts } from "../../../shared/findings";

const protocol = "makerdao";

export const ALERTS = defineAlerts({
  invariant: {
    id: "MAKER-VAT-INVARIANT",
    name: "Vat accounting identity broken: debt != vice + sum(Art * rate)",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  lineChanged: { id: "MAKER-VAT-LINE-CHANGED", name: "Global debt ceiling (Vat Line) changed", severity: FindingSeverity.Info, type: FindingType.Info, protocol },
  ilkLineChanged: {
    id: "MAKER-VAT-ILK-LINE-CHANGED",
    name: "Collateral debt ceiling (Vat ilk line) changed",
    severity: FindingSeverity.Info,
    type: FindingType.Info,
    protocol,
  },
  lineUtilization: {
    id: "MAKER-VAT-LINE-UTILISATION",
    name: "Total debt close to the global debt ceiling (Line)",
    severity: FindingSeverity.Medium,
    type: FindingType.Degraded,
    protocol,
  },
  ilkUtilization: {
    id: "MAKER-VAT-ILK-UTILISATION",
    name: "Collateral debt close to its debt ceiling (line)",
    severity: FindingSeverity.Medium,
    type: FindingType.Degraded,
    protocol,
  },
  surplusDrop: {
    id: "MAKER-VAT-SURPLUS-DROP",
    name: "Surplus buffer fell sharply",
    severity: FindingSeverity.High,
    type: FindingType.Suspicious,
    protocol,
  },
  sinJump: { id: "MAKER-VAT-SIN-JUMP", name: "System bad debt (vice) jumped", severity: FindingSeverity.Medium, type: FindingType.Suspicious, protocol },
  wardAdded: {
    id: "MAKER-VAT-WARD-ADDED",
    name: "New Vat ward: a contract that can now create DAI and debt at will",
    severity: FindingSeverity.Medium,
    type: FindingType.Suspicious,
    protocol,
  },
  suckUnknown: {
    id: "MAKER-VAT-SUCK-UNKNOWN",
    name: "Vat suck by no known debt source: DAI created against the Vow by someone outside the ChainLog's suckers",
    severity: FindingSeverity.Critical,
    type: FindingType.Exploit,
    protocol,
  },
  sinUnexplained: {
    id: "MAKER-VAT-SIN-UNEXPLAINED",
    name: "The Vow's debt (Vat sin) grew by more than known drips, liquidations and spells explain",
    severity: FindingSeverity.High,
    type: FindingType.Suspicious,
    protocol,
  },
  caged: { id: "MAKER-VAT-CAGED", name: "Vat caged (live = 0): the vault engine is shut down", severity: FindingSeverity.Critical, type: FindingType.Exploit, protocol },
});
