import { expect } from 'chai';
import { checkFreshConfirmation } from '../../examples/sales-site/confirmation.js';
import { validatePersonalInfo } from '../../examples/sales-site/personal-info.js';
import { SessionStore } from '../../examples/shared/session-store.js';

// 1403/09/05 in Iran (2024-11-25, noon Tehran time).
const NOW = Date.parse('2024-11-25T08:30:00Z');

describe('demo sales site rules (no network)', () => {
  describe('checkFreshConfirmation (seed step 6: the final SMS confirmation)', () => {
    const startedAt = 1_700_000_000_500; // ms
    const base = { expectedSub: 'sub-a', startedAt, previousAuthTime: 1_699_999_000 };

    it('accepts an authentication of the same person made after the confirmation started', () => {
      expect(
        checkFreshConfirmation({ ...base, claims: { sub: 'sub-a', auth_time: 1_700_000_003 } }),
      ).to.deep.equal({
        ok: true,
        authTime: 1_700_000_003,
      });
      // Same second as the start (auth_time has whole seconds) still counts.
      expect(
        checkFreshConfirmation({ ...base, claims: { sub: 'sub-a', auth_time: 1_700_000_000 } }).ok,
      ).to.equal(true);
    });

    it('refuses a stale auth_time: before the confirmation started, or no newer than the sign-in', () => {
      expect(
        checkFreshConfirmation({ ...base, claims: { sub: 'sub-a', auth_time: 1_699_999_999 } }),
      ).to.deep.equal({
        ok: false,
        reason: 'not_fresh',
      });
      expect(
        checkFreshConfirmation({
          ...base,
          previousAuthTime: 1_700_000_001,
          claims: { sub: 'sub-a', auth_time: 1_700_000_001 },
        }),
      ).to.deep.equal({ ok: false, reason: 'not_fresh' });
    });

    it('refuses another person (different sub), whatever the time', () => {
      expect(
        checkFreshConfirmation({ ...base, claims: { sub: 'sub-b', auth_time: 1_700_000_005 } }),
      ).to.deep.equal({
        ok: false,
        reason: 'different_person',
      });
    });

    it('refuses a token without a numeric auth_time', () => {
      for (const authTime of [undefined, '1700000005', Number.NaN]) {
        expect(
          checkFreshConfirmation({ ...base, claims: { sub: 'sub-a', auth_time: authTime } }),
        ).to.deep.equal({
          ok: false,
          reason: 'missing_auth_time',
        });
      }
    });
  });

  describe('validatePersonalInfo', () => {
    const context = { birthDateJalali: '1370/05/14', now: NOW };
    const good = {
      issue_date: '1385/02/10',
      address: 'اصفهان، خیابان چهارباغ، پلاک ۴',
      education: 'diploma',
    };

    it('accepts good input and normalises it', () => {
      const result = validatePersonalInfo(
        { ...good, issue_date: ' ۱۳۸۵/۲/۱۰ ', address: '  اصفهان،   خیابان چهارباغ،\n پلاک ۴ ' },
        context,
      );
      expect(result).to.deep.equal({
        ok: true,
        value: { issueDate: '1385/02/10', address: 'اصفهان، خیابان چهارباغ، پلاک ۴', education: 'diploma' },
      });
    });

    it('the issue date: after the birth date, not in the future, a real Jalali date', () => {
      const issue = (issue_date: string) => {
        const result = validatePersonalInfo({ ...good, issue_date }, context);
        return result.ok ? 'ok' : result.errors.issue_date;
      };
      expect(issue('1370/05/14')).to.include('بعد از تاریخ تولد');
      expect(issue('1370/05/15')).to.equal('ok');
      expect(issue('1403/09/05')).to.equal('ok'); // today in Iran
      expect(issue('1403/09/06')).to.include('آینده');
      expect(issue('1401/12/30')).to.include('تقویم شمسی'); // 1401 is not a leap year
      expect(issue('1403/12/30')).to.include('آینده');
      expect(issue('')).to.include('وارد کنید');
    });

    it('address length limits and the fixed education list', () => {
      const errors = (input: Record<string, unknown>) => {
        const result = validatePersonalInfo({ ...good, ...input }, context);
        return result.ok ? {} : result.errors;
      };
      expect(errors({ address: 'کوتاه' }).address).to.include('کوتاه');
      expect(errors({ address: 'ا'.repeat(251) }).address).to.include('بلند');
      expect(errors({ address: 'ا'.repeat(250) })).to.deep.equal({});
      expect(errors({ address: ['array'] }).address).to.include('وارد کنید');
      expect(errors({ education: 'astronaut' }).education).to.include('فهرست');
      expect(errors({ education: 'toString' }).education).to.include('فهرست');
    });
  });

  describe('SessionStore', () => {
    it('indexes signed-in sessions by sid and sub, rotates the id on sign-in, and expires idle ones', () => {
      let now = 0;
      const store = new SessionStore<{ note?: string }>({
        createExtra: () => ({}),
        idleSeconds: 60,
        now: () => now,
      });
      const anonymous = store.create();
      anonymous.extra.note = 'kept';
      const user = { sub: 's1', sid: 'sid1', claims: {}, scope: 'openid' };
      const signedIn = store.signIn(anonymous, user);
      expect(signedIn.id).to.not.equal(anonymous.id);
      expect(signedIn.csrf).to.not.equal(anonymous.csrf);
      expect(store.get(anonymous.id)).to.equal(undefined);
      expect(signedIn.extra.note).to.equal('kept');
      const other = store.signIn(undefined, { ...user, sid: 'sid2' });
      expect(store.destroyBySid('sid1', 'someone-else')).to.equal(0);
      expect(store.destroyBySid('sid1', 's1')).to.equal(1);
      expect(store.get(signedIn.id)).to.equal(undefined);
      expect(store.get(other.id)).to.equal(other);
      now += 61_000;
      expect(store.get(other.id)).to.equal(undefined);
      expect(store.destroyBySub('s1')).to.equal(0);
    });
  });
});
