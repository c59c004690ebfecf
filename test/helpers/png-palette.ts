import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Makes a browser screenshot small enough to commit (docs/images/): the PNG as an indexed-colour
 * image (at most 256 colours, 8 bits per pixel, best zlib compression). A page of text and flat
 * colours has few colours beyond the anti-aliasing of its text, so the channels are rounded only
 * as much as needed to fit 256. Reads the 8-bit RGB/RGBA, non-interlaced PNGs Chromium writes.
 */
export function toPalettePng(png: Buffer): Buffer {
  const { width, height, channels, pixels } = decode(png);
  const colorAt = (at: number, step: number) => {
    const q = (value: number) => Math.min(255, Math.round(value / step) * step);
    return (q(pixels[at]!) << 16) | (q(pixels[at + 1]!) << 8) | q(pixels[at + 2]!);
  };
  // The smallest rounding that leaves at most 256 colours (one bit per colour: 2 MB).
  const seen = new Uint8Array(1 << 21);
  const step = [1, 4, 8, 12, 16, 24, 32, 48, 64].find((candidate) => {
    seen.fill(0);
    let count = 0;
    for (let at = 0; at < pixels.length; at += channels) {
      const color = colorAt(at, candidate);
      const bit = 1 << (color & 7);
      if (seen[color >> 3]! & bit) continue;
      seen[color >> 3]! |= bit;
      if (++count > 256) return false;
    }
    return true;
  });
  if (step === undefined) return png;
  const palette = new Map<number, number>();
  const indexed = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const color = colorAt((y * width + x) * channels, step);
      let index = palette.get(color);
      if (index === undefined) {
        index = palette.size;
        palette.set(color, index);
      }
      indexed[y * (width + 1) + 1 + x] = index;
    }
  }
  const plte = Buffer.alloc(palette.size * 3);
  for (const [color, index] of palette) {
    plte[index * 3] = color >> 16;
    plte[index * 3 + 1] = (color >> 8) & 255;
    plte[index * 3 + 2] = color & 255;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(indexed, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function decode(png: Buffer) {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = body.subarray(8);
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6))
        throw new Error('only 8-bit RGB/RGBA non-interlaced PNGs');
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0;
      const predictor =
        filter === 1
          ? left
          : filter === 2
            ? up
            : filter === 3
              ? (left + up) >> 1
              : filter === 4
                ? paeth(left, up, upLeft)
                : 0;
      pixels[y * stride + i] = (line[i]! + predictor) & 255;
    }
  }
  return { width, height, channels, pixels };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 255]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}
