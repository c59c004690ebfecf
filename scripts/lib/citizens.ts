/** Made-up citizens for load tests: valid national codes (check digit), unique mobiles and dates. */
import type { SimulatedCitizen } from '../../src/identity/simulator.js';

const FIRST = ['علی', 'زهرا', 'محمد', 'فاطمه', 'رضا', 'مریم', 'حسین', 'سارا'];
const LAST = ['احمدی', 'محمدی', 'حسینی', 'رضایی', 'کریمی', 'موسوی', 'جعفری', 'کاظمی'];

/** A deterministic pseudo-random sequence (mulberry32), so runs are repeatable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function nationalCodeWithCheckDigit(first9: string): string {
  let sum = 0;
  for (let position = 0; position < 9; position++) sum += Number(first9[position]) * (10 - position);
  const remainder = sum % 11;
  return `${first9}${remainder < 2 ? remainder : 11 - remainder}`;
}

export function generateCitizens(count: number, seed = 7): SimulatedCitizen[] {
  const next = random(seed);
  const citizens: SimulatedCitizen[] = [];
  const codes = new Set<string>();
  while (citizens.length < count) {
    const first9 = String(Math.floor(next() * 1e9)).padStart(9, '0');
    const nationalCode = nationalCodeWithCheckDigit(first9);
    if (codes.has(nationalCode) || /^(\d)\1{9}$/.test(nationalCode)) continue;
    codes.add(nationalCode);
    const index = citizens.length;
    const year = 1340 + Math.floor(next() * 50);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * (month <= 6 ? 31 : 29));
    citizens.push({
      nationalCode,
      // 0990 0000000 … : one distinct mobile per citizen.
      mobile: `0990${String(index).padStart(7, '0')}`,
      person: {
        firstName: FIRST[index % FIRST.length] as string,
        lastName: LAST[Math.floor(index / FIRST.length) % LAST.length] as string,
        fatherName: FIRST[(index + 3) % FIRST.length] as string,
        gender: index % 2 ? 'female' : 'male',
        birthDate: `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`,
        alive: true,
      },
    });
  }
  return citizens;
}
