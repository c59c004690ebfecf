import type { Account, VerificationCheck } from './account.js';

/**
 * An account's stored text (the plaintext the cipher seals): a compact JSON array, not the
 * account's JSON object. The object's field names, its `sub` (the record's key names it, and the
 * seal is bound to it), the constant check names and six 10-digit timestamps were ~60 % of the
 * sealed record; every signed-in person keeps one for ever (issue 17: Redis per person).
 *
 *   [2, mobile|null, nationalCode, firstName, lastName, fatherName, "m"|"f", birthDateJalali,
 *    verifiedAt, createdAt−verifiedAt, updatedAt−verifiedAt, checks ("m" mobile_ownership,
 *    "c" civil_registry), source, verification id|null, checkedAt: null|[mobile−verifiedAt|null,
 *    civil−verifiedAt|null]]
 *
 * Records written before (a JSON object) still read; saving one rewrites it in this form.
 */
const FORM = 2;

const CHECK_CODES: Record<VerificationCheck, string> = { mobile_ownership: 'm', civil_registry: 'c' };
const CHECKS_BY_CODE: Record<string, VerificationCheck> = { m: 'mobile_ownership', c: 'civil_registry' };

export function encodeAccount(account: Account): string {
  const at = account.verifiedAt;
  const { checkedAt } = account.verification;
  const offset = (value: number | undefined) => (value === undefined ? null : value - at);
  return JSON.stringify([
    FORM,
    account.mobile,
    account.nationalCode,
    account.person.firstName,
    account.person.lastName,
    account.person.fatherName,
    account.person.gender === 'male' ? 'm' : 'f',
    account.person.birthDateJalali,
    at,
    account.createdAt - at,
    account.updatedAt - at,
    account.verification.checks.map((check) => CHECK_CODES[check]).join(''),
    account.verification.source,
    account.verification.id ?? null,
    checkedAt ? [offset(checkedAt.mobile_ownership), offset(checkedAt.civil_registry)] : null,
  ]);
}

/**
 * The account a stored text describes, as an object for the repository's schema to check.
 * @param sub the record's key's sub (the compact form leaves it out)
 */
export function decodeAccount(text: string, sub: string): unknown {
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) return parsed; // the earlier form: the account's JSON object
  const [form, mobile, nationalCode, firstName, lastName, fatherName, gender, birthDateJalali, at] =
    parsed as [number, string | null, string, string, string, string, string, string, number];
  const [created, updated, checks, source, id, checkedAt] = parsed.slice(9) as [
    number,
    number,
    string,
    string,
    string | null,
    [number | null, number | null] | null,
  ];
  if (form !== FORM) throw new Error(`account record: unknown form ${String(form)}`);
  const verification: Account['verification'] = {
    checks: [...checks].map((code) => CHECKS_BY_CODE[code] as VerificationCheck),
    source,
  };
  if (id !== null) verification.id = id;
  if (checkedAt) {
    const [mobileOwnership, civilRegistry] = checkedAt;
    verification.checkedAt = {};
    if (mobileOwnership !== null) verification.checkedAt.mobile_ownership = at + mobileOwnership;
    if (civilRegistry !== null) verification.checkedAt.civil_registry = at + civilRegistry;
  }
  return {
    sub,
    mobile,
    nationalCode,
    person: {
      firstName,
      lastName,
      fatherName,
      gender: gender === 'm' ? 'male' : gender === 'f' ? 'female' : gender,
      birthDateJalali,
    },
    verifiedAt: at,
    verification,
    createdAt: at + created,
    updatedAt: at + updated,
  };
}
