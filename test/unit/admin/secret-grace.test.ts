import { expect } from 'chai';
import Koa from 'koa';
import { previousSecretGrace } from '../../../src/admin/http/secret-grace.js';

/** The grace middleware on its own, in front of an endpoint that echoes the credentials it got. */
async function tokenRequest(staticClientIds: ReadonlySet<string>, clientId: string, secret: string) {
  const asked: string[] = [];
  const app = new Koa();
  app.use(
    previousSecretGrace({
      previousSecrets: {
        currentFor: async (id, presented) => {
          asked.push(id);
          return presented === 'old' ? 'new' : undefined;
        },
        anyInGrace: async () => true,
      },
      staticClientIds,
    }),
  );
  app.use((ctx) => {
    ctx.body = Buffer.from(String(ctx.get('authorization')).split(' ')[1] ?? '', 'base64').toString();
  });
  const server = app.listen(0);
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    });
    return { credentials: await response.text(), asked };
  } finally {
    server.close();
  }
}

describe('previous-secret grace middleware', () => {
  it('swaps a registered client’s previous secret for its current one', async () => {
    const { credentials, asked } = await tokenRequest(new Set(['static']), 'registered', 'old');
    expect(credentials).to.equal('registered:new');
    expect(asked).to.deep.equal(['registered']);
  });

  it('never looks up a configured (static) client: no stored secret can stand in for its own', async () => {
    const { credentials, asked } = await tokenRequest(new Set(['static']), 'static', 'old');
    expect(credentials).to.equal('static:old');
    expect(asked).to.deep.equal([]);
  });
});
