import type { OneTimeCodes } from '../otp/one-time-codes.js';
import type { Metrics } from './metrics.js';

/** One-time codes that count each verification's outcome (ok, wrong, expired, locked). */
export function instrumentOneTimeCodes(codes: OneTimeCodes, metrics: Metrics): OneTimeCodes {
  return {
    issue: (bindingId, mobile) => codes.issue(bindingId, mobile),
    lockStatus: (mobile) => codes.lockStatus(mobile),
    async verify(bindingId, mobile, submitted) {
      const result = await codes.verify(bindingId, mobile, submitted);
      metrics.codeVerification(result.ok ? 'ok' : result.reason);
      return result;
    },
  };
}
