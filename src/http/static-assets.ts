import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Middleware } from 'koa';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The folders of the vazirmatn package that hold its woff2 files (full and Persian-only sets). */
export function vazirmatnFontDirs(): string[] {
  const root = path.dirname(createRequire(import.meta.url).resolve('vazirmatn/package.json'));
  return [path.join(root, 'fonts', 'webfonts'), path.join(root, 'misc', 'Non-Latin', 'fonts', 'webfonts')];
}

/**
 * Third-party browser code served from this origin (CSP `script-src 'self'`, no CDN): name under
 * `/assets/vendor/` → the file in node_modules, so it updates with the package-lock.
 */
export function vendorScripts(): Record<string, string> {
  // The package exports only its entry points: find its folder from the CommonJS one.
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}script${path.sep}`));
  return { 'simplewebauthn-browser.js': path.join(root, 'dist', 'bundle', 'index.umd.min.js') };
}

export interface StaticAssetsOptions {
  /** Folder served at `/assets/` (e.g. `public/`). */
  publicDir: string;
  /** Folders searched, in order, for `/assets/fonts/<file>`. Default: the vazirmatn woff2 folders. */
  fontDirs?: string[];
  /** Files served at `/assets/vendor/<name>`. Default: vendorScripts(). */
  vendorFiles?: Record<string, string>;
}

// One path segment of ordinary characters: no `..`, no slashes, no hidden files.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Serves GET/HEAD `/assets/*` from `publicDir` and `/assets/fonts/*` from the font folders. */
export function staticAssets({
  publicDir,
  fontDirs = vazirmatnFontDirs(),
  vendorFiles = vendorScripts(),
}: StaticAssetsOptions): Middleware {
  return async function assets(ctx, next) {
    if (!ctx.path.startsWith('/assets/')) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      return;
    }
    const file = await locate(ctx.path.slice('/assets/'.length), publicDir, fontDirs, vendorFiles);
    if (!file) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Not found';
      return;
    }
    ctx.status = 200;
    ctx.type = CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.set('ETag', `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`);
    ctx.lastModified = new Date(file.mtimeMs);
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.length = file.size;
    if (ctx.method === 'GET') ctx.body = createReadStream(file.path);
  };
}

async function locate(
  rest: string,
  publicDir: string,
  fontDirs: string[],
  vendorFiles: Record<string, string>,
): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
  let segments: string[];
  try {
    segments = decodeURIComponent(rest).split('/');
  } catch {
    return undefined; // malformed percent-encoding
  }
  if (segments.length === 0 || !segments.every((segment) => SEGMENT.test(segment))) return undefined;
  const vendorFile =
    segments[0] === 'vendor' && segments.length === 2 ? Object.hasOwn(vendorFiles, segments[1]!) : false;
  const candidates =
    segments[0] === 'vendor'
      ? vendorFile
        ? [vendorFiles[segments[1]!]!]
        : []
      : segments[0] === 'fonts'
        ? segments.length === 2
          ? fontDirs.map((dir) => path.join(dir, segments[1]!))
          : []
        : [path.join(publicDir, ...segments)];
  for (const candidate of candidates) {
    try {
      const info = await stat(candidate);
      if (info.isFile()) return { path: candidate, size: info.size, mtimeMs: info.mtimeMs };
    } catch {
      // not there: try the next folder
    }
  }
  return undefined;
}
