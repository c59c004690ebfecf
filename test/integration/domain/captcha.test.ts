import { expect } from 'chai';
import { type CaptchaChallenge, type CaptchaImage, createCaptcha } from '../../../src/captcha/captcha.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { type FakeClock, rawContents, recording, withClockedStore } from './domain-test-kit.js';

/** Hands out challenges with known answers: 23456, 23457, … */
function knownAnswers(): { generate: () => CaptchaChallenge; last: () => string } {
  let counter = 23455;
  return {
    generate: () => {
      counter += 1;
      return { text: String(counter), image: fakeImage(counter) };
    },
    last: () => String(counter),
  };
}

function fakeImage(n: number): CaptchaImage {
  return { type: 'image/jpeg', bytes: Buffer.from(`image ${n}`) };
}

for (const factory of storeFactories) {
  describe(`captcha: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
    });

    it('disabled: no image and every answer passes', async () => {
      const captcha = createCaptcha({ store, enabled: false });
      expect(await captcha.create('b1')).to.equal(null);
      expect(await captcha.verify('b1', '')).to.equal(true);
    });

    it('a right answer passes once', async () => {
      const answers = knownAnswers();
      const captcha = createCaptcha({ store, enabled: true, now: clock.now, generate: answers.generate });
      expect(await captcha.create('b1')).to.deep.equal(fakeImage(23456));
      expect(await captcha.verify('b1', '23456')).to.equal(true);
      expect(await captcha.verify('b1', '23456')).to.equal(false);
    });

    it('a wrong answer uses the challenge up', async () => {
      const answers = knownAnswers();
      const captcha = createCaptcha({ store, enabled: true, now: clock.now, generate: answers.generate });
      await captcha.create('b1');
      expect(await captcha.verify('b1', '99999')).to.equal(false);
      expect(await captcha.verify('b1', answers.last())).to.equal(false);
    });

    it('of concurrent right answers exactly one passes', async () => {
      const answers = knownAnswers();
      const captcha = createCaptcha({ store, enabled: true, now: clock.now, generate: answers.generate });
      await captcha.create('b1');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => captcha.verify('b1', answers.last())),
      );
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('accepts Persian and Arabic digits', async () => {
      const answers = knownAnswers();
      const captcha = createCaptcha({ store, enabled: true, now: clock.now, generate: answers.generate });
      await captcha.create('b1');
      expect(await captcha.verify('b1', '۲۳۴۵۶')).to.equal(true);
      await captcha.create('b1');
      expect(await captcha.verify('b1', ' ٢٣٤٥٧ ')).to.equal(true);
    });

    it('belongs to one sign-in; a new one replaces the old', async () => {
      const answers = knownAnswers();
      const captcha = createCaptcha({ store, enabled: true, now: clock.now, generate: answers.generate });
      await captcha.create('b1');
      expect(await captcha.verify('b2', '23456')).to.equal(false);
      await captcha.create('b1');
      expect(await captcha.verify('b1', '23456')).to.equal(false);
      await captcha.create('b1');
      expect(await captcha.verify('b1', '23458')).to.equal(true);
    });

    it('expires', async () => {
      const answers = knownAnswers();
      const captcha = createCaptcha({ store, enabled: true, now: clock.now, generate: answers.generate });
      await captcha.create('b1');
      clock.advance(301);
      expect(await captcha.verify('b1', '23456')).to.equal(false);
    });

    it('stores the answer only hashed', async () => {
      const recorded = recording(store);
      // A long answer, so that it cannot turn up by chance inside a hash or a timestamp.
      const answer = '2345678923456789';
      const captcha = createCaptcha({
        store: recorded,
        enabled: true,
        generate: () => ({ text: answer, image: fakeImage(0) }),
      });
      await captcha.create('b1');
      expect(await rawContents(recorded)).to.not.include(answer);
      expect(await captcha.verify('b1', answer)).to.equal(true);
    });

    it('works with the real generator', async () => {
      const captcha = createCaptcha({ store, enabled: true });
      const image = await captcha.create('b1');
      expect(image?.type).to.equal('image/jpeg');
      expect(image?.bytes.subarray(0, 3).toString('hex')).to.equal('ffd8ff');
      expect(await captcha.verify('b1', 'not digits')).to.equal(false);
    });
  });
}
