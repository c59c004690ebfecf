import { createCanvas, loadImage } from '@napi-rs/canvas';
import { expect } from 'chai';
import { generateDigitChallenge } from '../../../src/captcha/captcha.js';
import { IMAGE_HEIGHT, IMAGE_WIDTH, renderDigitImage } from '../../../src/captcha/digit-image.js';
import { withoutMetadata } from '../../../src/captcha/jpeg-metadata.js';

/** The RGBA pixels of an encoded image, decoded the way any client would. */
async function pixels(bytes: Buffer): Promise<Uint8ClampedArray> {
  const image = await loadImage(bytes);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height).data;
}

/** The JPEG markers before the image data (SOS), e.g. ['e0', 'db', 'c0', …]. */
function headerMarkers(jpeg: Buffer): string[] {
  const markers: string[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    markers.push(jpeg[at + 1]!.toString(16));
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}

describe('captcha image', () => {
  it('is a small JPEG of five digits from 2–9', async () => {
    for (let i = 0; i < 10; i++) {
      const { text, image } = generateDigitChallenge();
      expect(text).to.match(/^[2-9]{5}$/);
      expect(image.type).to.equal('image/jpeg');
      expect(image.bytes.subarray(0, 3).toString('hex')).to.equal('ffd8ff');
      expect(image.bytes.subarray(-2).toString('hex')).to.equal('ffd9');
      // A few KB: people sign in over slow mobile networks.
      expect(image.bytes.length).to.be.within(1_000, 8_000);
      const decoded = await loadImage(image.bytes);
      expect([decoded.width, decoded.height]).to.deep.equal([IMAGE_WIDTH, IMAGE_HEIGHT]);
    }
  });

  it('differs at the pixel level on every render of the same answer', async () => {
    const renders = await Promise.all([1, 2, 3].map(() => pixels(renderDigitImage('23456'))));
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const first = renders[a]!;
      const second = renders[b]!;
      let differing = 0;
      for (let p = 0; p < first.length; p += 4) {
        const delta = Math.max(
          Math.abs(first[p]! - second[p]!),
          Math.abs(first[p + 1]! - second[p + 1]!),
          Math.abs(first[p + 2]! - second[p + 2]!),
        );
        if (delta > 24) differing++;
      }
      // Not a few noisy pixels: most of the picture moves (background, glyph shapes, noise).
      expect(differing / (IMAGE_WIDTH * IMAGE_HEIGHT)).to.be.above(0.2);
    }
  });

  it('carries nothing but pixels: no answer in its bytes, no metadata segment', () => {
    for (let i = 0; i < 20; i++) {
      const { text, image } = generateDigitChallenge();
      const persian = text.replace(/\d/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]!);
      expect(image.bytes.includes(Buffer.from(text))).to.equal(false);
      expect(image.bytes.includes(Buffer.from(persian))).to.equal(false);
      // JFIF header, quantization and Huffman tables, frame: no EXIF/XMP/ICC (APP1–15), no comment.
      for (const marker of headerMarkers(image.bytes))
        expect(['e0', 'db', 'c0', 'c4', 'dd']).to.include(marker);
    }
  });

  it('strips comment and APPn segments the encoder or anyone else put in', async () => {
    const jpeg = renderDigitImage('78923');
    const segment = (marker: number, payload: string) => {
      const body = Buffer.from(payload);
      const header = Buffer.from([0xff, marker, 0, 0]);
      header.writeUInt16BE(body.length + 2, 2);
      return Buffer.concat([header, body]);
    };
    const tagged = Buffer.concat([
      jpeg.subarray(0, 2),
      segment(0xfe, 'answer 78923'),
      segment(0xe1, 'Exif\u0000\u000078923'),
      jpeg.subarray(2),
    ]);
    const stripped = withoutMetadata(tagged);
    expect(stripped.includes(Buffer.from('78923'))).to.equal(false);
    expect(stripped.equals(jpeg)).to.equal(true);
    expect(await pixels(stripped)).to.have.length(IMAGE_WIDTH * IMAGE_HEIGHT * 4);
  });
});
