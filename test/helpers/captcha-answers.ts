import { type CaptchaChallenge, generateDigitChallenge } from '../../src/captcha/captcha.js';

/**
 * The real captcha, with its answers remembered for the test that reads the image as a person
 * would: `startHarness({ overrides: { captchaChallenge: captcha.challenge } })`.
 */
export function captchaAnswers() {
  const answers: string[] = [];
  return {
    challenge: (): CaptchaChallenge => {
      const challenge = generateDigitChallenge();
      answers.push(challenge.text);
      return challenge;
    },
    /** Every answer drawn so far, oldest first. */
    answers,
    /** Harness options for a provider with the image captcha on, drawing through this helper. */
    harness(env: Record<string, string> = {}) {
      return { env: { CAPTCHA: 'image', ...env }, overrides: { captchaChallenge: this.challenge } };
    },
    /** The answer of the newest captcha (the one on the page a test just loaded). */
    get last(): string {
      return answers.at(-1) ?? '';
    },
  };
}
