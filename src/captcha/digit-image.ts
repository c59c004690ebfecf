import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Canvas, createCanvas, GlobalFonts, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import { withoutMetadata } from './jpeg-metadata.js';

/**
 * Draws digits as a raster image whose pixels, not its structure, carry the answer.
 *
 * The SVG captcha this replaces drew each digit as one `<path>` whose command sequence named the
 * digit, so a script read it without any OCR. Here every glyph gets its own random font weight,
 * size, rotation, skew, offset and colour, the whole image is then warped by random waves, and
 * noise curves and specks cross the digits: no two renders of a digit share a pixel pattern, and
 * the file holds nothing but pixels (no text, no per-digit shapes, no metadata).
 */

export const IMAGE_WIDTH = 240;
export const IMAGE_HEIGHT = 80;
// JPEG: a few KB for a noisy picture (PNG would be ~20 KB), encoded in well under a millisecond,
// shown by every browser; its compression blur is one more layer of pixel noise.
const JPEG_QUALITY = 60;
export const CAPTCHA_IMAGE_TYPE = 'image/jpeg';

// Bold weights: strokes thick enough to survive the warp and noise on a small phone screen.
const FONT_WEIGHTS = ['SemiBold', 'Bold', 'ExtraBold'] as const;
const FONT_FAMILY_PREFIX = 'darvaze-captcha-';

let fontsRegistered = false;

/** The Vazirmatn fonts the pages already use (their Latin digits), registered once per process. */
function registerFonts(): void {
  if (fontsRegistered) return;
  const root = path.dirname(createRequire(import.meta.url).resolve('vazirmatn/package.json'));
  for (const weight of FONT_WEIGHTS) {
    const file = path.join(root, 'fonts', 'ttf', `Vazirmatn-${weight}.ttf`);
    if (!GlobalFonts.registerFromPath(file, `${FONT_FAMILY_PREFIX}${weight}`))
      throw new Error(`captcha font not loaded: ${file}`);
  }
  fontsRegistered = true;
}

/** A uniformly random number in [min, max), from the crypto generator (no guessable sequence). */
function between(min: number, max: number): number {
  return min + (randomInt(0, 1_000_000) / 1_000_000) * (max - min);
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(0, items.length)]!;
}

/** A dark colour (lightness 18–34 %) with a random hue: high contrast on the pale background. */
function inkColour(): string {
  return `hsl(${randomInt(0, 360)} ${randomInt(45, 80)}% ${randomInt(18, 34)}%)`;
}

/** JPEG bytes of `text` (digits) distorted and noised; a new random picture on every call. */
export function renderDigitImage(text: string): Buffer {
  registerFonts();
  const canvas = createCanvas(IMAGE_WIDTH, IMAGE_HEIGHT);
  const ctx = canvas.getContext('2d');
  paintBackground(ctx);
  drawGlyphs(ctx, text);
  warp(canvas);
  drawNoise(ctx);
  return withoutMetadata(canvas.encodeSync('jpeg', JPEG_QUALITY));
}

function paintBackground(ctx: SKRSContext2D): void {
  const hue = randomInt(0, 360);
  const gradient = ctx.createLinearGradient(
    0,
    between(0, IMAGE_HEIGHT),
    IMAGE_WIDTH,
    between(0, IMAGE_HEIGHT),
  );
  gradient.addColorStop(0, `hsl(${hue} 60% 94%)`);
  gradient.addColorStop(1, `hsl(${(hue + randomInt(60, 180)) % 360} 60% 90%)`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
  // Pale blotches: the background is never one flat colour an attacker can subtract.
  for (let i = 0; i < 12; i++) {
    ctx.fillStyle = `hsl(${randomInt(0, 360)} 50% ${randomInt(78, 90)}% / 0.5)`;
    ctx.beginPath();
    ctx.arc(between(0, IMAGE_WIDTH), between(0, IMAGE_HEIGHT), between(3, 14), 0, Math.PI * 2);
    ctx.fill();
  }
}

function drawGlyphs(ctx: SKRSContext2D, text: string): void {
  const slot = (IMAGE_WIDTH - 20) / text.length;
  for (const [index, digit] of [...text].entries()) {
    const size = between(44, 54);
    ctx.save();
    ctx.translate(10 + slot * (index + 0.5) + between(-4, 4), IMAGE_HEIGHT / 2 + between(-5, 5));
    ctx.rotate(between(-0.45, 0.45));
    ctx.transform(between(0.85, 1.15), between(-0.15, 0.15), between(-0.3, 0.3), between(0.9, 1.1), 0, 0);
    ctx.font = `${size.toFixed(1)}px ${FONT_FAMILY_PREFIX}${pick(FONT_WEIGHTS)}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    ctx.fillStyle = inkColour();
    // Centred on its own ink, not on the font's line box, so no digit is pushed off the image.
    const ink = ctx.measureText(digit);
    ctx.fillText(digit, 0, (ink.actualBoundingBoxAscent - ink.actualBoundingBoxDescent) / 2);
    ctx.restore();
  }
}

/** Shifts rows and columns along random sine waves: each glyph bends differently. */
function warp(canvas: Canvas): void {
  const ctx = canvas.getContext('2d');
  const source = ctx.getImageData(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
  // Each row slides sideways and each column up or down, by its own wave.
  const rowShift = wave(IMAGE_HEIGHT, between(1.5, 3), between(0.05, 0.1));
  const columnShift = wave(IMAGE_WIDTH, between(2, 4), between(0.03, 0.07));
  const from = new Uint32Array(source.data.buffer);
  const to = new Uint32Array(IMAGE_WIDTH * IMAGE_HEIGHT);
  for (let y = 0; y < IMAGE_HEIGHT; y++) {
    for (let x = 0; x < IMAGE_WIDTH; x++) {
      const sx = clamp(x + rowShift[y]!, IMAGE_WIDTH - 1);
      const sy = clamp(y + columnShift[x]!, IMAGE_HEIGHT - 1);
      to[y * IMAGE_WIDTH + x] = from[sy * IMAGE_WIDTH + sx]!;
    }
  }
  // A new ImageData over our own buffer: several times faster to put than createImageData's.
  ctx.putImageData(new ImageData(new Uint8ClampedArray(to.buffer), IMAGE_WIDTH, IMAGE_HEIGHT), 0, 0);
}

/** Whole-pixel offsets along a sine of random phase. */
function wave(length: number, amplitude: number, frequency: number): Int32Array {
  const phase = between(0, Math.PI * 2);
  return Int32Array.from({ length }, (_, i) => Math.round(amplitude * Math.sin(i * frequency + phase)));
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}

function drawNoise(ctx: SKRSContext2D): void {
  // Curves through the band the digits sit in, thinner than the glyph strokes so people can tell
  // them apart, in the same kind of colours so a colour filter cannot.
  for (let i = 0; i < 3; i++) {
    ctx.strokeStyle = inkColour();
    ctx.lineWidth = between(1.2, 2.2);
    ctx.beginPath();
    ctx.moveTo(between(0, 20), between(10, IMAGE_HEIGHT - 10));
    ctx.bezierCurveTo(
      between(IMAGE_WIDTH * 0.2, IMAGE_WIDTH * 0.45),
      between(0, IMAGE_HEIGHT),
      between(IMAGE_WIDTH * 0.55, IMAGE_WIDTH * 0.8),
      between(0, IMAGE_HEIGHT),
      between(IMAGE_WIDTH - 20, IMAGE_WIDTH),
      between(10, IMAGE_HEIGHT - 10),
    );
    ctx.stroke();
  }
  // Specks in a few colour groups, one path each (a draw call per speck costs more than the rest).
  for (let group = 0; group < 6; group++) {
    ctx.fillStyle = group % 2 ? inkColour() : `hsl(${randomInt(0, 360)} 40% 85%)`;
    ctx.beginPath();
    for (let i = 0; i < 15; i++)
      ctx.rect(between(0, IMAGE_WIDTH), between(0, IMAGE_HEIGHT), between(1, 2.5), between(1, 2.5));
    ctx.fill();
  }
}
