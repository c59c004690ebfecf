import type { Store } from '../store/store.js';
import type { Mobile } from '../validation/mobile.js';
import { createFixedWindowCounter, type LimitWindow } from './fixed-window-counter.js';
import { hashSubject } from './subject-hash.js';

/** How many SMS codes may go out (DESIGN.md §1, "default limits"; the values: SMS_* settings). */
export interface SmsSendLimits {
  perMobilePerHour: number;
  perMobilePerDay: number;
  /** Generous: mobile carriers put many people behind one address. */
  perAddressPerHour: number;
  /** All SMS of the provider together: caps the bill when someone floods us from many addresses. */
  globalPerHour: number;
  /**
   * Wait after a code before another goes to the same mobile: "resend" within a sign-in, and a
   * new sign-in for that mobile alike (otherwise each new sign-in would send one more SMS).
   */
  resendCooldownSeconds: number;
}

/** Each resend within one sign-in multiplies the next wait by this, up to the maximum. */
const COOLDOWN_GROWTH_FACTOR = 2;
const MAX_COOLDOWN_SECONDS = 3600;

export type SmsSendRefusalReason =
  | 'cooldown'
  | 'mobile_cooldown'
  | 'mobile_hour'
  | 'mobile_day'
  | 'address'
  | 'global';

export type SmsSendDecision =
  | { allowed: true }
  | { allowed: false; reason: SmsSendRefusalReason; retryAfterSeconds: number };

export interface SmsSendRequest {
  mobile: Mobile;
  /** The client's IP address. */
  address: string;
  /** The sign-in (interaction) the code is for; the resend cooldown belongs to it. */
  bindingId: string;
}

export interface SmsSendPolicy {
  /**
   * Asks to send one code. Allowed: the send is counted in every window and the binding's
   * cooldown starts. Refused: nothing is counted anywhere.
   */
  reserve(request: SmsSendRequest): Promise<SmsSendDecision>;
  /**
   * Gives back an allowed reservation whose SMS never left (the gateway failed): the counts
   * drop by one and the cooldown is lifted. Call it once per failed send, never otherwise.
   */
  release(request: SmsSendRequest): Promise<void>;
  /**
   * A code sent to this mobile was used: the person has it, so the mobile's cooldown ends (a
   * step-up right after a sign-in is not kept waiting). The sign-in's own cooldown stays.
   */
  codeUsed(mobile: Mobile): Promise<void>;
  /** Seconds until "resend" is possible for this binding; 0 when it is now. */
  cooldownRemaining(bindingId: string): Promise<number>;
}

export interface SmsSendPolicyDeps {
  store: Store;
  /** Clock in epoch milliseconds; decides which hour and day window is current. */
  now?: () => number;
  /** No defaults here: configuration is their one source. */
  limits: SmsSendLimits;
  /** Secret for hashing mobiles and addresses in counter keys; without it they are only hashed. */
  subjectKey?: Buffer | string;
}

const HOUR = 3600;
const DAY = 24 * HOUR;
// The per-binding send count only needs to outlive the sign-in it belongs to.
const BINDING_STATE_TTL_SECONDS = DAY;

export function createSmsSendPolicy(deps: SmsSendPolicyDeps): SmsSendPolicy {
  const { store, limits } = deps;
  const counter = createFixedWindowCounter({ store, now: deps.now });

  // Every key of the policy shares the `{sms}` hash tag: reserve() is one atomic script over all
  // of them (Store.reserveSend), which a Redis Cluster runs only within one slot. (Keys before
  // issue 17 had no tag; their counts lapsed within a day of the change.)
  const windows = {
    mobile_hour: { name: '{sms}:mobile:hour', limit: limits.perMobilePerHour, seconds: HOUR },
    mobile_day: { name: '{sms}:mobile:day', limit: limits.perMobilePerDay, seconds: DAY },
    address: { name: '{sms}:address:hour', limit: limits.perAddressPerHour, seconds: HOUR },
    global: { name: '{sms}:global:hour', limit: limits.globalPerHour, seconds: HOUR },
  } satisfies Record<Exclude<SmsSendRefusalReason, 'cooldown' | 'mobile_cooldown'>, LimitWindow>;
  const reasonOf = new Map(Object.entries(windows).map(([reason, window]) => [window, reason]));

  // Cheapest and most specific first; the global counter, a hot key, is only counted for
  // requests that passed every other limit.
  function windowHits({ mobile, address }: SmsSendRequest) {
    const mobileToken = hashSubject('mobile', mobile.e164, deps.subjectKey);
    const addressToken = hashSubject('address', address, deps.subjectKey);
    return [
      { window: windows.mobile_hour, subject: mobileToken },
      { window: windows.mobile_day, subject: mobileToken },
      { window: windows.address, subject: addressToken },
      { window: windows.global, subject: 'all' },
    ];
  }

  const cooldownKey = (bindingId: string) => `sms:{sms}:cooldown:${bindingId}`;
  const mobileCooldownKey = (mobile: Mobile) =>
    `sms:{sms}:cooldown:mobile:${hashSubject('mobile', mobile.e164, deps.subjectKey)}`;
  const sendsKey = (bindingId: string) => `sms:{sms}:sends:${bindingId}`;

  /** Lifts this sign-in's cooldowns: its own, and the mobile's if this sign-in holds it. */
  async function releaseCooldowns(request: SmsSendRequest): Promise<void> {
    await store.delete(cooldownKey(request.bindingId));
    await store.deleteIfEquals(mobileCooldownKey(request.mobile), request.bindingId);
  }

  async function cooldownRemaining(bindingId: string): Promise<number> {
    const ttl = await store.ttl(cooldownKey(bindingId));
    return Math.max(0, ttl);
  }

  return {
    async reserve(request) {
      // One atomic step, checked in this order: the sign-in's own cooldown (its lock: of
      // concurrent resends only one passes; the wait grows with its sends so far), the mobile's
      // cooldown (across sign-ins, one code per cooldown per number; held by this sign-in, it
      // does not refuse the sign-in's own next resend), then each window in windowHits' order.
      // A refusal counts nothing anywhere; an allowed send is counted in every window.
      const hits = windowHits(request);
      const slots = hits.map(({ window, subject }) => counter.current(window, subject));
      const outcome = await store.reserveSend({
        sendsKey: sendsKey(request.bindingId),
        sendsTtlSeconds: BINDING_STATE_TTL_SECONDS,
        cooldownKey: cooldownKey(request.bindingId),
        sharedCooldownKey: mobileCooldownKey(request.mobile),
        holder: request.bindingId,
        cooldown: {
          baseSeconds: limits.resendCooldownSeconds,
          growth: COOLDOWN_GROWTH_FACTOR,
          maxSeconds: MAX_COOLDOWN_SECONDS,
        },
        windows: hits.map(({ window }, i) => ({
          key: slots[i]!.key,
          limit: window.limit,
          ttlSeconds: slots[i]!.ttlSeconds,
        })),
      });
      if (outcome.allowed) return { allowed: true };
      if (outcome.refusedBy !== 'window') {
        const reason = outcome.refusedBy === 'cooldown' ? 'cooldown' : 'mobile_cooldown';
        return { allowed: false, reason, retryAfterSeconds: outcome.retryAfterSeconds };
      }
      const reason = reasonOf.get(hits[outcome.window]!.window) as SmsSendRefusalReason;
      return { allowed: false, reason, retryAfterSeconds: slots[outcome.window]!.retryAfterSeconds };
    },

    async release(request) {
      const { bindingId } = request;
      await Promise.all(
        windowHits(request).map(({ window, subject }) => counter.undoCurrent(window, subject)),
      );
      const sends = await store.increment(sendsKey(bindingId), BINDING_STATE_TTL_SECONDS, -1);
      if (sends < 0) await store.increment(sendsKey(bindingId), BINDING_STATE_TTL_SECONDS, -sends);
      await releaseCooldowns(request);
    },

    async codeUsed(mobile) {
      await store.delete(mobileCooldownKey(mobile));
    },

    cooldownRemaining,
  };
}
