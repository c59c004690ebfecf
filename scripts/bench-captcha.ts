/**
 * How fast one process draws captcha images, and how big they are: every mobile page shows one,
 * so this is CPU that anyone can make the provider spend by asking for the page.
 *
 *   npm run bench:captcha [-- --count 2000] [--out dir]
 *
 * `--out dir` also writes a few images there, to look at.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDigitChallenge } from '../src/captcha/captcha.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '2000' }, out: { type: 'string' } },
});
const count = Number(values.count);

generateDigitChallenge(); // fonts load on first use: not part of the rate
const sizes: number[] = [];
const started = performance.now();
for (let i = 0; i < count; i++) sizes.push(generateDigitChallenge().image.bytes.length);
const seconds = (performance.now() - started) / 1000;

sizes.sort((a, b) => a - b);
const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
console.log(
  `${count} images in ${seconds.toFixed(2)} s: ${Math.round(count / seconds)} images/s on one core, ` +
    `${((seconds * 1000) / count).toFixed(2)} ms each; size mean ${Math.round(mean)} B, ` +
    `max ${sizes.at(-1)} B; load average ${loadavg()[0]!.toFixed(2)}`,
);

if (values.out) {
  await mkdir(values.out, { recursive: true });
  for (let i = 0; i < 6; i++) {
    const { text, image } = generateDigitChallenge();
    await writeFile(join(values.out, `captcha-${i}-${text}.jpg`), image.bytes);
  }
  console.log(`six images with their answers in their names: ${values.out}`);
}
