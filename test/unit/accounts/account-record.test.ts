import { expect } from 'chai';
import type { Account } from '../../../src/accounts/account.js';
import { decodeAccount, encodeAccount } from '../../../src/accounts/account-record.js';

const ACCOUNT: Account = {
  sub: 'Qm9va3MgYXJlIGdyZWF0IQ',
  mobile: '+989121234567',
  nationalCode: '0012345679',
  person: {
    firstName: 'علی',
    lastName: 'رضایی',
    fatherName: 'حسن',
    gender: 'male',
    birthDateJalali: '1370/01/01',
  },
  verifiedAt: 1_796_311_146,
  verification: {
    checks: ['mobile_ownership', 'civil_registry'],
    source: 'identity-service',
    id: 'c29tZSByYW5kb20',
    checkedAt: { mobile_ownership: 1_796_311_140, civil_registry: 1_796_311_146 },
  },
  createdAt: 1_790_000_000,
  updatedAt: 1_796_311_146,
};

describe('account record (the compact stored form)', () => {
  it('reads back exactly the account it was written from', () => {
    expect(decodeAccount(encodeAccount(ACCOUNT), ACCOUNT.sub)).to.deep.equal(ACCOUNT);
  });

  it('keeps absent optional parts absent (no id, no check times, one check, no mobile)', () => {
    const sparse: Account = {
      ...ACCOUNT,
      mobile: null,
      person: { ...ACCOUNT.person, gender: 'female' },
      verification: { checks: ['civil_registry'], source: 'simulator' },
    };
    expect(decodeAccount(encodeAccount(sparse), sparse.sub)).to.deep.equal(sparse);
    const partial: Account = {
      ...ACCOUNT,
      verification: { ...ACCOUNT.verification, checkedAt: { civil_registry: 1_796_311_100 } },
    };
    expect(decodeAccount(encodeAccount(partial), partial.sub)).to.deep.equal(partial);
  });

  it('is less than half the size of the account as JSON, without the sub in it', () => {
    const compact = encodeAccount(ACCOUNT);
    expect(compact).to.not.include(ACCOUNT.sub);
    expect(Buffer.byteLength(compact)).to.be.below(Buffer.byteLength(JSON.stringify(ACCOUNT)) / 2);
  });

  it('still reads records written as the account JSON object', () => {
    expect(decodeAccount(JSON.stringify(ACCOUNT), ACCOUNT.sub)).to.deep.equal(ACCOUNT);
  });
});
