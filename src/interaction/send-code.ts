import type { Context } from 'koa';
import type { Message } from '../http/view-models.js';
import type { DeliveryResult } from '../otp/code-delivery.js';
import type { Mobile } from '../validation/mobile.js';
import { type Interaction, minutes } from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';

/** Sends a code for this interaction to the mobile, recording the outcome for the audit trail. */
export async function sendCode(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  mobile: Mobile,
): Promise<DeliveryResult> {
  const result = await deps.delivery.send({ bindingId: interaction.uid, mobile, address: ctx.ip });
  deps.audit(ctx, result.sent ? 'sms.sent' : 'sms.refused', {
    interaction: interaction.uid,
    ...(result.sent ? {} : { reason: result.reason }),
  });
  return result;
}

export function smsRefusalMessage(result: Exclude<DeliveryResult, { sent: true }>): Message {
  if (result.reason === 'gateway') return { key: 'sms.failed' };
  if (result.reason === 'locked')
    return { key: 'code.locked', params: { minutes: minutes(result.retryAfterSeconds) } };
  if (result.reason === 'cooldown')
    return { key: 'sms.cooldown', params: { seconds: result.retryAfterSeconds } };
  if (result.reason === 'mobile_cooldown')
    return { key: 'sms.mobileCooldown', params: { seconds: result.retryAfterSeconds } };
  return { key: 'sms.limit', params: { minutes: minutes(result.retryAfterSeconds) } };
}
