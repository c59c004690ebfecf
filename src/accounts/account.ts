/**
 * A person whose mobile and identity Darvaze verified; what the OIDC claims are made from. This
 * is the stored record, so its fields are the stored texts (E.164 mobile, 10-digit national code,
 * Jalali date); the repository takes Mobile and NationalCode values and converts at the store.
 */
export interface Account {
  /** Random and opaque (never derived from the national code); the OIDC `sub`. */
  sub: string;
  /**
   * E.164 `+989…`: the number the person signs in with. Null after another person re-verified
   * ownership of this number: the account keeps its data but cannot sign in until its owner
   * verifies again with a mobile of their own.
   */
  mobile: string | null;
  /** 10 ASCII digits. */
  nationalCode: string;
  person: AccountPerson;
  /** When the last full verification (mobile ownership + civil registry) passed, epoch seconds. */
  verifiedAt: number;
  verification: {
    checks: VerificationCheck[];
    /** Which identity service answered, e.g. `identity-service` or `simulator`. */
    source: string;
    /**
     * Random reference of this verification (no personal data), released as the OIDC4IDA
     * `verification_process` so a site and the operator can point at the same check in a
     * dispute. Absent on records verified before it was kept.
     */
    id?: string;
    /** When each upstream check answered, epoch seconds (the evidence's check times). */
    checkedAt?: Partial<Record<VerificationCheck, number>>;
  };
  /** Epoch seconds. */
  createdAt: number;
  /** Epoch seconds. */
  updatedAt: number;
}

/** The civil registry's data about the person, as it answered. Names are in Persian script. */
export interface AccountPerson {
  firstName: string;
  lastName: string;
  fatherName: string;
  gender: 'male' | 'female';
  /** Jalali `YYYY/MM/DD`, ASCII digits. */
  birthDateJalali: string;
}

export type VerificationCheck = 'mobile_ownership' | 'civil_registry';
