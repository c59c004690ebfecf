import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import Koa from 'koa';
import { staticAssets } from '../../../src/http/static-assets.js';
import { rawRequest, type Served, serve } from './serve.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('static assets middleware', () => {
  let served: Served;

  before(async () => {
    const app = new Koa();
    app.use(staticAssets({ publicDir: path.join(root, 'public') }));
    app.use((ctx) => {
      ctx.body = 'next';
    });
    served = await serve(app);
  });
  after(() => served.close());

  it('serves the stylesheet with its type, a day of caching and validators', async () => {
    const response = await fetch(`${served.url}/assets/app.css`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).to.equal('public, max-age=86400');
    expect(response.headers.get('etag')).to.match(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response.headers.get('last-modified')).to.be.a('string');
    expect(await response.text()).to.equal(await readFile(path.join(root, 'public/app.css'), 'utf8'));
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since', async () => {
    // Not fetch(): with a conditional header it also sends Cache-Control: no-cache (Fetch spec).
    const first = await rawRequest(served.url, '/assets/app.css');
    const etag = first.headers.etag as string;
    const byEtag = await rawRequest(served.url, '/assets/app.css', { headers: { 'If-None-Match': etag } });
    expect(byEtag.status).to.equal(304);
    expect(byEtag.body.length).to.equal(0);
    const since = first.headers['last-modified'] as string;
    const byDate = await rawRequest(served.url, '/assets/app.css', {
      headers: { 'If-Modified-Since': since },
    });
    expect(byDate.status).to.equal(304);
    const stale = await rawRequest(served.url, '/assets/app.css', {
      headers: { 'If-None-Match': 'W/"0-0"' },
    });
    expect(stale.status).to.equal(200);
  });

  it('serves the JavaScript and the Vazirmatn woff2 fonts from the package', async () => {
    const script = await fetch(`${served.url}/assets/countdown.js`);
    expect(script.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    await script.arrayBuffer();
    for (const font of ['Vazirmatn-NL-Regular.woff2', 'Vazirmatn-NL-Bold.woff2', 'Vazirmatn-Regular.woff2']) {
      const response = await fetch(`${served.url}/assets/fonts/${font}`);
      expect(response.status, font).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('font/woff2');
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.subarray(0, 4).toString('latin1')).to.equal('wOF2');
    }
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await rawRequest(served.url, '/assets/fonts/Vazirmatn-NL-Regular.woff2', {
      method: 'HEAD',
    });
    expect(response.status).to.equal(200);
    expect(Number(response.headers['content-length'])).to.be.greaterThan(10_000);
    expect(response.body.length).to.equal(0);
  });

  it('refuses path traversal, hidden files and folders', async () => {
    for (const attempt of [
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/fonts/../../package.json',
      '/assets/fonts/..%2f..%2fpackage.json',
      '/assets/fonts/%2e%2e%2fVazirmatn-font-face.css',
      '/assets/..\\package.json',
      '/assets/%5c..%5cpackage.json',
      '/assets/%00app.css',
      '/assets/.gitignore',
      '/assets/',
      '/assets/fonts',
      '/assets/fonts/',
      '/assets/%E0%A4%A',
    ]) {
      const response = await rawRequest(served.url, attempt);
      expect(response.status, attempt).to.equal(404);
      expect(response.body.toString(), attempt).not.to.contain('"name"');
    }
  });

  it('answers 404 for unknown assets and 405 for other methods; leaves other paths alone', async () => {
    expect((await rawRequest(served.url, '/assets/missing.css')).status).to.equal(404);
    expect((await rawRequest(served.url, '/assets/fonts/missing.woff2')).status).to.equal(404);
    const post = await rawRequest(served.url, '/assets/app.css', { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.allow).to.equal('GET, HEAD');
    const other = await fetch(`${served.url}/assetsx/app.css`);
    expect(await other.text()).to.equal('next');
  });
});
