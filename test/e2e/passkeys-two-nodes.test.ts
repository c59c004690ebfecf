import { expect } from 'chai';
import type { CDPSession, Page } from 'playwright-core';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { ACR } from '../../src/oidc/assurance.js';
import {
  addPlatformAuthenticator,
  type LaunchedChromium,
  launchChromium,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import { claimsAtCallback } from '../helpers/chromium-journey.js';
import { type AuthorizationRequest, authorizationRequest } from '../helpers/harness.js';
import { type Deployment, startDeployment } from '../helpers/multi-node.js';

const person = DEMO_CITIZENS.filter((candidate) => candidate.case === 'ordinary')[2]!;

interface Device {
  chromium: LaunchedChromium;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

/**
 * Passkeys on two provider processes sharing one Redis behind the round-robin proxy (each request
 * goes to the other node than the one before), and on two devices of one person: a challenge
 * issued by one node is answered at the other, and each device signs in with its own passkey.
 */
describe('browser: passkeys on two nodes and two devices', function () {
  this.timeout(180_000);
  let deployment: Deployment;
  const devices: Device[] = [];

  before(async function () {
    skipWithoutChromium(this);
    deployment = await startDeployment({ nodes: 2, issuerHost: 'localhost' });
  });
  after(async () => {
    for (const device of devices) await device.chromium.close();
    await deployment?.stop();
  });

  /** A browser with its own platform authenticator (CDP WebAuthn), as a phone or a laptop. */
  const newDevice = async (): Promise<Device> => {
    const chromium = await launchChromium();
    const { cdp, authenticatorId } = await addPlatformAuthenticator(chromium);
    const device = { chromium, page: chromium.page, cdp, authenticatorId };
    devices.push(device);
    return device;
  };

  const submit = async (page: Page, action: string) => {
    await Promise.all([
      page.waitForNavigation(),
      page.locator(`form[action$="${action}"] [type="submit"]`).click(),
    ]);
  };

  /** Runs `act` and returns the ID token's claims once the browser reaches the site's callback. */
  const signIn = async (page: Page, act: (request: AuthorizationRequest) => Promise<unknown>) => {
    const client = deployment.clients.sales!;
    const request = await authorizationRequest(client);
    return claimsAtCallback(page, { client, callbackBase: deployment.callbackBase }, request, () =>
      act(request),
    );
  };

  /** The SMS path (identity only the first time), then the passkey offered and enrolled. */
  const signInBySmsAndEnrol = (device: Device, firstTime: boolean) =>
    signIn(device.page, async (request) => {
      const { page } = device;
      await page.goto(request.url.toString());
      await page.locator('[data-passkey="sign-in"]').waitFor({ state: 'visible' });
      // The page's script tells the server this device can hold a passkey (a cookie).
      for (let i = 0; i < 50; i++) {
        if ((await device.chromium.context.cookies()).some((cookie) => cookie.name === 'passkey_platform'))
          break;
        await page.waitForTimeout(100);
      }
      await page.locator('input[name="mobile"]').fill(person.mobile);
      await submit(page, '/mobile');
      await page.locator('input[name="code"]').fill(deployment.lastCodeFor(person.mobile)!);
      await submit(page, '/code');
      if (firstTime) {
        await page.locator('input[name="national_code"]').fill(person.nationalCode);
        await page.locator('input[name="birth_date"]').fill(person.person.birthDate);
        await submit(page, '/identity');
      }
      expect(page.url()).to.match(/\/passkey\/enrol$/);
      await page.locator('[data-passkey="register"] [data-passkey-start]').click();
    });

  /** A passkey sign-in: the device's passkey picked in the mobile field's autofill list. */
  const signInWithPasskey = async (device: Device) => {
    await device.chromium.context.clearCookies();
    // The passkey is picked as the page loads: the form posts, and the browser goes on to the
    // site's callback, before the page's own navigation reports back (it then says "interrupted").
    // What counts is that the callback comes, which signIn waits for.
    return signIn(device.page, (request) =>
      device.page.goto(request.url.toString(), { waitUntil: 'commit' }).catch(() => {}),
    );
  };

  const servedByEachNode = () =>
    deployment.multi.nodes.map((node) => deployment.multi.proxy.stats.perUpstream[node.url] ?? 0);

  it('enrols on one device with the ceremony split across both nodes, then signs in there with no SMS', async () => {
    const phone = await newDevice();
    const before = servedByEachNode();
    const enrolled = await signInBySmsAndEnrol(phone, true);
    expect(enrolled.amr).to.deep.equal(['sms', 'otp']);
    const { credentials } = await phone.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: phone.authenticatorId,
    });
    expect(credentials).to.have.length(1);

    const sms = deployment.multi.sms!.accepted;
    const claims = await signInWithPasskey(phone);
    expect(claims.amr).to.deep.equal(['hwk', 'user']);
    expect(claims.acr).to.equal(ACR.passkey);
    expect(deployment.multi.sms!.accepted).to.equal(sms);
    // Both processes took part (the proxy alternates per request).
    const after = servedByEachNode();
    expect(after.map((count, index) => count - before[index]!).every((served) => served > 3)).to.equal(true);
  });

  it('a second device enrols its own passkey after an SMS sign-in; each device then signs in with its own', async () => {
    const laptop = await newDevice();
    const enrolled = await signInBySmsAndEnrol(laptop, false);
    expect(enrolled.amr).to.deep.equal(['sms', 'otp']);
    const onLaptop = await signInWithPasskey(laptop);
    expect(onLaptop.amr).to.deep.equal(['hwk', 'user']);
    const onPhone = await signInWithPasskey(devices[0]!);
    expect(onPhone.amr).to.deep.equal(['hwk', 'user']);
    // One person, two passkeys: both sign-ins are the same subject.
    expect(onLaptop.sub).to.equal(onPhone.sub);
  });
});
