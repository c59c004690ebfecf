/**
 * Made-up citizens for development and tests: the built-in simulator knows exactly these people.
 * National codes carry valid check digits (so they pass the identity page's validation) but belong
 * to nobody real. Each person's `person.birthDate` is the right birth date; any other date gives
 * "no match" from the registry.
 */
import type { Person } from './identity-service.js';

export type DemoCase = 'ordinary' | 'mobile-not-owned' | 'deceased' | 'upstream-failure';

export interface DemoCitizen {
  nationalCode: string;
  /** The number they sign in with, national form `09…`. */
  mobile: string;
  /** The registry's record; `birthDate` is the date to type on the identity page. */
  person: Person;
  case: DemoCase;
  /** False: the operator has this mobile in someone else's name (ownership check fails). */
  ownsMobile: boolean;
  /** The simulator answers every call about this national code with an upstream failure. */
  simulateUpstreamFailure: boolean;
  /** What signing in as this person shows, for the README and the simulator's banner. */
  description: { en: string; fa: string };
}

type Draft = Omit<DemoCitizen, 'ownsMobile' | 'simulateUpstreamFailure' | 'person'> & {
  person: Omit<Person, 'alive'> & { alive?: boolean };
};

function citizen(draft: Draft): DemoCitizen {
  return Object.freeze({
    ...draft,
    person: Object.freeze({ ...draft.person, alive: draft.person.alive ?? true }),
    description: Object.freeze(draft.description),
    ownsMobile: draft.case !== 'mobile-not-owned',
    simulateUpstreamFailure: draft.case === 'upstream-failure',
  });
}

export const DEMO_CITIZENS: readonly DemoCitizen[] = Object.freeze([
  citizen({
    nationalCode: '0499370899',
    mobile: '09121234567',
    person: {
      firstName: 'علی',
      lastName: 'رضایی',
      fatherName: 'محمد',
      gender: 'male',
      birthDate: '1370/05/14',
    },
    case: 'ordinary',
    description: {
      en: 'Ordinary citizen: verifies and signs in.',
      fa: 'شهروند عادی: احراز هویت و ورود موفق.',
    },
  }),
  citizen({
    nationalCode: '0081635249',
    mobile: '09352345678',
    person: {
      firstName: 'زهرا',
      lastName: 'محمدی',
      fatherName: 'حسین',
      gender: 'female',
      birthDate: '1365/11/02',
    },
    case: 'ordinary',
    description: {
      en: 'Ordinary citizen: verifies and signs in.',
      fa: 'شهروند عادی: احراز هویت و ورود موفق.',
    },
  }),
  citizen({
    nationalCode: '1273456807',
    mobile: '09903456789',
    person: {
      firstName: 'محمدرضا',
      lastName: 'حسینی',
      fatherName: 'عباس',
      gender: 'male',
      birthDate: '1359/01/30',
    },
    case: 'ordinary',
    description: {
      en: 'Ordinary citizen: verifies and signs in.',
      fa: 'شهروند عادی: احراز هویت و ورود موفق.',
    },
  }),
  citizen({
    nationalCode: '2284653979',
    mobile: '09124567890',
    person: {
      firstName: 'فاطمه',
      lastName: 'شاه‌محمدی',
      fatherName: 'جواد',
      gender: 'female',
      birthDate: '1375/07/21',
    },
    case: 'ordinary',
    description: {
      en: 'Ordinary citizen: verifies and signs in.',
      fa: 'شهروند عادی: احراز هویت و ورود موفق.',
    },
  }),
  citizen({
    nationalCode: '3712048564',
    mobile: '09125678901',
    person: {
      firstName: 'سارا',
      lastName: 'نوری‌زاده',
      fatherName: 'کاظم',
      gender: 'female',
      birthDate: '1371/04/18',
    },
    case: 'mobile-not-owned',
    description: {
      en: 'Her mobile is registered in another person’s name: the mobile-ownership check fails.',
      fa: 'سیم‌کارت او به نام شخص دیگری است: بررسی مالکیت شماره همراه ناموفق است.',
    },
  }),
  citizen({
    nationalCode: '4529817636',
    mobile: '09136789012',
    person: {
      firstName: 'پروین',
      lastName: 'کاظمی',
      fatherName: 'یوسف',
      gender: 'female',
      birthDate: '1320/10/10',
      alive: false,
    },
    case: 'deceased',
    description: {
      en: 'Deceased: the registry answers alive: false.',
      fa: 'فوت‌شده: ثبت احوال «در قید حیات نیست» پاسخ می‌دهد.',
    },
  }),
  citizen({
    nationalCode: '5678134027',
    mobile: '09197890123',
    person: {
      firstName: 'مهدی',
      lastName: 'عباسی',
      fatherName: 'حسن',
      gender: 'male',
      birthDate: '1366/08/25',
    },
    case: 'upstream-failure',
    description: {
      en: 'The simulator fails every inquiry about him (upstream error): shows “try again later”.',
      fa: 'شبیه‌ساز برای او همیشه خطا می‌دهد (خطای سرویس استعلام): پیام «بعداً تلاش کنید».',
    },
  }),
]);
