import { expect } from 'chai';
import type { KoaContextWithOIDC } from 'oidc-provider';
import als from 'oidc-provider/lib/helpers/als.js';
import { createTokenRequestPrefetch } from '../../../src/oidc/token-request-prefetch.js';

const requestTo = (route: string) => ({ oidc: { route } }) as unknown as KoaContextWithOIDC;

describe('token request prefetch', () => {
  it('hands a read started in a /token request to that request, once', async () => {
    const reads: string[] = [];
    const prefetch = createTokenRequestPrefetch(async (id: string) => {
      reads.push(id);
      return `account ${id}`;
    });
    await als.run(requestTo('token'), async () => {
      prefetch.start('sub-1');
      prefetch.start('sub-1');
      expect(reads).to.deep.equal(['sub-1']);
      expect(prefetch.take('sub-2')).to.equal(undefined);
      expect(await prefetch.take('sub-1')).to.equal('account sub-1');
      expect(prefetch.take('sub-1')).to.equal(undefined);
    });
  });

  it('reads nothing outside a /token request, and another request never sees it', async () => {
    const reads: string[] = [];
    const prefetch = createTokenRequestPrefetch(async (id: string) => {
      reads.push(id);
      return id;
    });
    prefetch.start('outside');
    await als.run(requestTo('introspection'), async () => prefetch.start('introspected'));
    expect(reads).to.deep.equal([]);
    await als.run(requestTo('token'), async () => prefetch.start('first'));
    await als.run(requestTo('token'), async () => expect(prefetch.take('first')).to.equal(undefined));
  });

  it('a read that fails reaches the request that takes it, and is no unhandled rejection if not taken', async () => {
    const prefetch = createTokenRequestPrefetch(async (): Promise<string> => {
      throw new Error('store down');
    });
    let unhandled = false;
    const onUnhandled = () => {
      unhandled = true;
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      await als.run(requestTo('token'), async () => {
        prefetch.start('taken');
        prefetch.start('dropped');
        const error = await prefetch.take('taken')?.catch((caught: Error) => caught);
        expect((error as Error).message).to.equal('store down');
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).to.equal(false);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
