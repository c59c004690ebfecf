/** Sites carry a name per language (`client_name#en`, RFC 7591 language tags); pages show the one that fits. */
import { expect } from 'chai';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

describe('site names per language', function () {
  this.timeout(30_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.close());

  async function mobilePage(locale: 'fa' | 'en', clientId = 'sales') {
    const request = await authorizationRequest(harness.clients[clientId]!, { ui_locales: locale });
    return browserFor(harness).get(request.url.toString());
  }

  it('an English page names the site in English, a Persian page in Persian', async () => {
    const english = await mobilePage('en');
    expect(english.html).to.include('Internet sales');
    expect(english.html).not.to.include('فروش اینترنتی');
    const persian = await mobilePage('fa');
    expect(persian.html).to.include('فروش اینترنتی');
    expect(persian.html).not.to.include('Internet sales');
  });

  it('a site without an English name keeps its one name on English pages', async () => {
    expect((await mobilePage('en', 'service')).html).to.include('خدمات پس از فروش');
  });
});
