/**
 * The identity service's HTTP contract (DESIGN.md §2.3) in one place, shared by the client (which
 * validates answers) and the simulator (which validates requests), so the two cannot drift apart.
 */
import { isValidJalaaliDate } from 'jalaali-js';
import { z } from 'zod';

export const MOBILE_OWNERSHIP_PATH = '/v1/mobile-ownership';
export const CIVIL_REGISTRY_INQUIRY_PATH = '/v1/civil-registry/inquiry';

const nationalCode = z.string().regex(/^\d{10}$/, 'nationalCode must be 10 ASCII digits');
const nationalMobile = z.string().regex(/^09\d{9}$/, 'mobile must be 09 and 9 more ASCII digits');

function isRealJalaliDate(date: string): boolean {
  const [year, month, day] = date.split('/').map(Number);
  return isValidJalaaliDate(year ?? 0, month ?? 0, day ?? 0);
}

/** What we send: strictly `YYYY/MM/DD`. */
const strictJalaliDate = z
  .string()
  .regex(/^\d{4}\/\d{2}\/\d{2}$/, 'birthDate must be Jalali YYYY/MM/DD, ASCII digits')
  .refine(isRealJalaliDate, 'birthDate is not a calendar date');

/**
 * What we accept back: also `1370/5/14`, normalised to `1370/05/14`, because a registry that
 * drops a leading zero should not lock every user out.
 */
const lenientJalaliDate = z
  .string()
  .regex(/^\d{4}\/\d{1,2}\/\d{1,2}$/)
  .transform((date) => {
    const [year, month, day] = date.split('/');
    return `${year}/${month?.padStart(2, '0')}/${day?.padStart(2, '0')}`;
  })
  .refine(isRealJalaliDate, 'birthDate is not a calendar date');

export const mobileOwnershipRequest = z.object({ nationalCode, mobile: nationalMobile });
export const civilRegistryInquiryRequest = z.object({ nationalCode, birthDate: strictJalaliDate });

export const mobileOwnershipResponse = z.object({ matched: z.boolean() });

const person = z.object({
  firstName: z.string().trim().min(1),
  lastName: z.string().trim().min(1),
  fatherName: z.string().trim(),
  gender: z.enum(['male', 'female']),
  birthDate: lenientJalaliDate,
  alive: z.boolean(),
});

export const civilRegistryInquiryResponse = z.discriminatedUnion('matched', [
  z.object({ matched: z.literal(false) }),
  z.object({ matched: z.literal(true), person }),
]);
