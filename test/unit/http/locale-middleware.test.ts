import { expect } from 'chai';
import Koa from 'koa';
import { localeMiddleware } from '../../../src/http/locale-middleware.js';
import { type Served, serve } from './serve.js';

describe('locale middleware', () => {
  let served: Served;

  before(async () => {
    const app = new Koa();
    app.use(localeMiddleware());
    app.use((ctx) => {
      ctx.body = String(ctx.state.locale);
    });
    served = await serve(app);
  });
  after(() => served.close());

  const locale = async (query = '', headers: Record<string, string> = {}) => {
    const response = await fetch(`${served.url}/page${query}`, { headers });
    return { locale: await response.text(), cookie: response.headers.get('set-cookie') };
  };

  it('defaults to Persian', async () => {
    expect((await locale()).locale).to.equal('fa');
  });

  it('follows Accept-Language', async () => {
    expect((await locale('', { 'Accept-Language': 'en-US,en;q=0.9' })).locale).to.equal('en');
    expect((await locale('', { 'Accept-Language': 'de,fa;q=0.5,en;q=0.4' })).locale).to.equal('fa');
  });

  it('prefers the cookie over Accept-Language, and ?lang= over both; ?lang= sets the cookie', async () => {
    expect((await locale('', { cookie: 'lang=en', 'Accept-Language': 'fa' })).locale).to.equal('en');
    const switched = await locale('?lang=fa', { cookie: 'lang=en', 'Accept-Language': 'en' });
    expect(switched.locale).to.equal('fa');
    const cookie = switched.cookie!.toLowerCase();
    expect(cookie).to.match(/^lang=fa;/);
    expect(cookie).to.contain('samesite=lax').and.to.contain('httponly').and.to.contain('path=/');
    const expires = Date.parse(/expires=([^;]+)/.exec(cookie)![1]!);
    expect(expires - Date.now()).to.be.greaterThan(360 * 24 * 3600 * 1000);
  });

  it('ignores an unsupported ?lang= and sets no cookie for it', async () => {
    const result = await locale('?lang=de', { 'Accept-Language': 'en' });
    expect(result.locale).to.equal('en');
    expect(result.cookie).to.equal(null);
  });

  it('sets no cookie when the cookie already says the same', async () => {
    const result = await locale('?lang=en', { cookie: 'lang=en' });
    expect(result.locale).to.equal('en');
    expect(result.cookie).to.equal(null);
  });
});
