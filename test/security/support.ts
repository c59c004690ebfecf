/**
 * Helpers shared by the security suites: walking the journey from any authorization URL, reading
 * every raw Redis key of one harness, the personal values a person must never leave behind, and a
 * pino logger whose output a test can read.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DemoCitizen } from '../../src/identity/demo-citizens.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { createLogger } from '../../src/logging/logger.js';
import { BirthDate } from '../../src/validation/birth-date.js';
import { type Page, pageKind, type TestBrowser } from '../helpers/browser.js';
import type { Harness } from '../helpers/harness.js';
import { sharedTestRedis } from '../helpers/stores.js';

export type Citizen = Pick<DemoCitizen, 'mobile' | 'nationalCode' | 'person'>;

export const ORDINARY = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');

/** A valid Iranian mobile that no demo citizen has (the registry knows nobody behind it). */
export const UNKNOWN_MOBILE = '09127777777';

export interface Walk {
  pages: string[];
  last: Page;
  atCallback: boolean;
}

/**
 * Walks the sign-in from `start` (any authorization URL: plain, PAR, JAR) like a person would,
 * until the browser reaches a URL `isCallback` accepts.
 */
export async function walk(
  harness: Harness,
  browser: TestBrowser,
  start: string,
  citizen: Citizen,
  isCallback: (url: URL) => boolean = (url) => url.origin === harness.callbackBase,
): Promise<Walk> {
  let page = await browser.get(start);
  const pages: string[] = [];
  for (let step = 0; step < 8; step++) {
    if (isCallback(new URL(page.url))) return { pages, last: page, atCallback: true };
    const kind = pageKind(page);
    if (kind === 'other' || pages.at(-1) === kind) return { pages, last: page, atCallback: false };
    pages.push(kind);
    if (kind === 'mobile') page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    else if (kind === 'code')
      page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile) ?? '' });
    else if (kind === 'identity')
      page = await browser.submit(page, {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
      });
    else page = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
  }
  return { pages, last: page, atCallback: false };
}

const toPersianDigits = (text: string) => text.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)] as string);

/** Every way a mobile number is written: 0912…, +98912…, 98912…, 00989…, 912…, Persian digits. */
export function mobileForms(national: string): string[] {
  const subscriber = national.replace(/^0/, '');
  const forms = [national, `+98${subscriber}`, `98${subscriber}`, `0098${subscriber}`, subscriber];
  return [...forms, ...forms.map(toPersianDigits)];
}

/** JSON's `\uXXXX` spelling of a text, for stores or logs that escape non-ASCII characters. */
function jsonEscaped(text: string): string {
  return [...text]
    .map((char) =>
      char.charCodeAt(0) > 0x7f ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char,
    )
    .join('');
}

/**
 * The values that identify a person and must never appear in plain in the store or a log: the
 * national code, the mobile in every format, each name (also JSON-escaped), the birth date in
 * Jalali and Gregorian forms.
 */
export function personalNeedles(citizen: Citizen): string[] {
  const { person } = citizen;
  const names = [person.firstName, person.lastName, person.fatherName];
  const jalali = person.birthDate;
  const gregorian = BirthDate.fromJalali(jalali)?.gregorian ?? '';
  const dates = [jalali, jalali.replace(/\//g, '-'), jalali.replace(/\//g, ''), toPersianDigits(jalali)];
  if (gregorian) dates.push(gregorian, gregorian.replace(/-/g, ''), gregorian.replace(/-/g, '/'));
  return [
    citizen.nationalCode,
    toPersianDigits(citizen.nationalCode),
    ...mobileForms(citizen.mobile),
    ...names,
    ...names.map(jsonEscaped),
    ...dates,
  ];
}

/** Which needles occur in the text. */
export function leaksIn(text: string, needles: readonly string[]): string[] {
  return needles.filter((needle) => needle && text.includes(needle));
}

export interface RawEntry {
  key: string;
  type: string;
  /** Every value of the key, whatever its type (string, set members, stream fields…). */
  values: string[];
}

/** A plain ioredis client on the test run's Redis, without key prefix. */
export async function rawRedis(): Promise<Redis> {
  const client = new Redis((await sharedTestRedis()).url, { lazyConnect: true });
  await client.connect();
  return client;
}

/** Reads every key under `prefix` and all of its values, as an attacker with a dump would. */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<RawEntry[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const entries: RawEntry[] = [];
  for (const key of [...new Set(keys)]) {
    const type = await redis.type(key);
    let values: string[] = [];
    if (type === 'string') values = [(await redis.get(key)) ?? ''];
    else if (type === 'set') values = await redis.smembers(key);
    else if (type === 'list') values = await redis.lrange(key, 0, -1);
    else if (type === 'zset') values = await redis.zrange(key, '0', '-1');
    else if (type === 'hash') values = Object.entries(await redis.hgetall(key)).flat();
    else if (type === 'stream') {
      values = (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    }
    entries.push({ key, type, values });
  }
  return entries;
}

/** Keys under `prefix` whose name (after the prefix) starts with `start`, e.g. `oidc:AccessToken:`. */
export async function countKeys(redis: Redis, prefix: string, start: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}${start}*`, 'COUNT', 1000);
    cursor = next;
    count += batch.filter((key) => !key.endsWith(':consumed')).length;
  } while (cursor !== '0');
  return count;
}

export interface CapturedLogger {
  logger: Logger;
  /** Everything written so far, one JSON line per record. */
  text(): string;
  lines(): Array<Record<string, unknown>>;
}

/** The app's real logger (with its redaction) at `trace`, writing into memory. */
export function captureLogger(): CapturedLogger {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A stack trace line of Node (`at fn (file:1:2)` or `at file:1:2`). */
export const STACK_TRACE = /\bat (?:[\w.<>[\] ]+ \()?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?/;
