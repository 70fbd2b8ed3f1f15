import type { ItemKind, openVialPolicies, vvmTypes } from "../schema";

export const BIO_FARMA = "PT Bio Farma (Persero)";
const SII = "Serum Institute of India";

export interface ItemSpec {
  code: string;
  name: string;
  kind: ItemKind;
  /** Doses per vial; for devices, units per pack (1 = counted singly). */
  dosesPerVial: number;
  storageMinC: number | null;
  storageMaxC: number | null;
  freezeSensitive: boolean;
  vvmType: (typeof vvmTypes)[number];
  openVialPolicy: (typeof openVialPolicies)[number];
  diluentCode?: string;
  /** Who makes the lots we seed; null for devices, which get no lots. */
  manufacturer: string | null;
  /**
   * Doses a typical puskesmas uses a month: ~60 infants × doses in the schedule × the wastage
   * factor of the WHO default wastage target (vaccine-domain.md §6). Demo figures, not data.
   */
  monthlyDoses: number;
}

type VaccineFields = Pick<
  ItemSpec,
  "code" | "name" | "dosesPerVial" | "freezeSensitive" | "vvmType" | "openVialPolicy" | "manufacturer" | "monthlyDoses"
> &
  Partial<Pick<ItemSpec, "diluentCode" | "kind">>;

/** Every vaccine and diluent is kept at +2…+8 °C at facility level (WHO, vaccine-domain.md [W1]). */
function coldChainItem(fields: VaccineFields): ItemSpec {
  return { kind: "vaccine", storageMinC: 2, storageMaxC: 8, ...fields };
}

function device(code: string, name: string, kind: ItemKind): ItemSpec {
  return {
    code,
    name,
    kind,
    dosesPerVial: 1,
    storageMinC: null,
    storageMaxC: null,
    freezeSensitive: false,
    vvmType: "none",
    openVialPolicy: "not_applicable",
    manufacturer: null,
    monthlyDoses: 0,
  };
}

/*
 * Public facts used below (keys as in the shared vaccine domain reference):
 * - Freeze sensitivity follows the WHO shipping-indicator groups (WHO/PQS/E006/TR07, [W5]):
 *   DTP, DT, Td, HepB, IPV, combinations, HPV and PCV get a freeze alarm; OPV, freeze-dried BCG,
 *   MR and rotavirus do not. Diluents are never frozen either: a frozen ampoule can crack unseen.
 * - Open-vial policy (WHO/IVB/14.07, [W12]): reconstituted BCG and MR are discarded after 6 h;
 *   preserved liquid multi-dose vials (OPV, IPV, DTP-HB-Hib, Td, DT, PCV) may be kept 28 days;
 *   single-dose presentations have no open-vial rule.
 * - OPV carries a VVM2, the least heat-stable category (WHO/V&B/02.35, [W13]).
 * - Presentations: Bio Farma BCG holds 20 infant doses of 0.05 ml, bOPV 20 doses of 2 drops,
 *   Pentabio (DPT-HB-Hib) is a 5-dose vial, Hepatitis B 0 a 1-dose Uniject; PCV13 comes in a
 *   4-dose vial. The other VVM categories and dose counts are plausible demo choices: confirm
 *   them with the product owner before relying on them.
 * - Schedule behind monthlyDoses (Indonesia's routine programme): HB0 ×1, BCG ×1, OPV ×4,
 *   DPT-HB-Hib ×4, IPV ×2, PCV ×3, rotavirus ×3, MR ×2 per infant; Td, DT and HPV are given in
 *   school (BIAS) sessions, so their monthly figure is a yearly need spread out.
 */
export const itemSpecs: readonly ItemSpec[] = [
  coldChainItem({
    code: "DIL-BCG",
    name: "Pelarut BCG",
    kind: "diluent",
    dosesPerVial: 20,
    freezeSensitive: true,
    vvmType: "none",
    openVialPolicy: "not_applicable",
    manufacturer: BIO_FARMA,
    monthlyDoses: 120,
  }),
  coldChainItem({
    code: "DIL-MR",
    name: "Pelarut MR",
    kind: "diluent",
    dosesPerVial: 10,
    freezeSensitive: true,
    vvmType: "none",
    openVialPolicy: "not_applicable",
    manufacturer: SII,
    monthlyDoses: 160,
  }),
  // 60 infants × 1 dose × wastage factor 2 (50 % BCG wastage target).
  coldChainItem({
    code: "BCG",
    name: "BCG",
    dosesPerVial: 20,
    freezeSensitive: false,
    vvmType: "VVM30",
    openVialPolicy: "discard_6_hours",
    diluentCode: "DIL-BCG",
    manufacturer: BIO_FARMA,
    monthlyDoses: 120,
  }),
  // 60 × 4 × 1.11 (10 % OPV target).
  coldChainItem({
    code: "BOPV",
    name: "bOPV (Polio tetes)",
    dosesPerVial: 20,
    freezeSensitive: false,
    vvmType: "VVM2",
    openVialPolicy: "keep_28_days",
    manufacturer: BIO_FARMA,
    monthlyDoses: 266,
  }),
  coldChainItem({
    code: "IPV",
    name: "IPV (Polio suntik)",
    dosesPerVial: 5,
    freezeSensitive: true,
    vvmType: "VVM30",
    openVialPolicy: "keep_28_days",
    manufacturer: SII,
    monthlyDoses: 133,
  }),
  coldChainItem({
    code: "DPT-HB-HIB",
    name: "DPT-HB-Hib (Pentabio)",
    dosesPerVial: 5,
    freezeSensitive: true,
    vvmType: "VVM14",
    openVialPolicy: "keep_28_days",
    manufacturer: BIO_FARMA,
    monthlyDoses: 266,
  }),
  // 60 × 1 × 1.05 (5 % target for 1–2-dose presentations).
  coldChainItem({
    code: "HB0",
    name: "Hepatitis B 0 (Uniject)",
    dosesPerVial: 1,
    freezeSensitive: true,
    vvmType: "VVM30",
    openVialPolicy: "not_applicable",
    manufacturer: BIO_FARMA,
    monthlyDoses: 63,
  }),
  // 60 × 2 × 1.33 (25 % measles target).
  coldChainItem({
    code: "MR",
    name: "MR (Campak Rubela)",
    dosesPerVial: 10,
    freezeSensitive: false,
    vvmType: "VVM14",
    openVialPolicy: "discard_6_hours",
    diluentCode: "DIL-MR",
    manufacturer: SII,
    monthlyDoses: 160,
  }),
  coldChainItem({
    code: "TD",
    name: "Td",
    dosesPerVial: 10,
    freezeSensitive: true,
    vvmType: "VVM30",
    openVialPolicy: "keep_28_days",
    manufacturer: BIO_FARMA,
    monthlyDoses: 100,
  }),
  coldChainItem({
    code: "DT",
    name: "DT",
    dosesPerVial: 10,
    freezeSensitive: true,
    vvmType: "VVM30",
    openVialPolicy: "keep_28_days",
    manufacturer: BIO_FARMA,
    monthlyDoses: 30,
  }),
  coldChainItem({
    code: "PCV",
    name: "PCV13 (Pneumokokus)",
    dosesPerVial: 4,
    freezeSensitive: true,
    vvmType: "VVM30",
    openVialPolicy: "keep_28_days",
    manufacturer: "Pfizer",
    monthlyDoses: 200,
  }),
  coldChainItem({
    code: "ROTA",
    name: "Rotavirus (oral)",
    dosesPerVial: 1,
    freezeSensitive: false,
    vvmType: "VVM14",
    openVialPolicy: "not_applicable",
    manufacturer: "GSK",
    monthlyDoses: 189,
  }),
  coldChainItem({
    code: "HPV",
    name: "HPV",
    dosesPerVial: 1,
    freezeSensitive: true,
    vvmType: "VVM30",
    openVialPolicy: "not_applicable",
    manufacturer: "MSD",
    monthlyDoses: 15,
  }),
  device("ADS-005", "ADS 0,05 ml (BCG)", "syringe"),
  device("ADS-05", "ADS 0,5 ml", "syringe"),
  device("SYR-MIX-5", "Spuit pencampur 5 ml", "syringe"),
  device("SAFETY-BOX-5L", "Safety box 5 L", "safety_box"),
];
