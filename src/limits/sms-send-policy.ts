import type { Store } from '../store/store.js';
import type { Mobile } from '../validation/mobile.js';
import { createFixedWindowCounter, hitAll, type LimitWindow } from './fixed-window-counter.js';
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

  const windows = {
    mobile_hour: { name: 'sms:mobile:hour', limit: limits.perMobilePerHour, seconds: HOUR },
    mobile_day: { name: 'sms:mobile:day', limit: limits.perMobilePerDay, seconds: DAY },
    address: { name: 'sms:address:hour', limit: limits.perAddressPerHour, seconds: HOUR },
    global: { name: 'sms:global:hour', limit: limits.globalPerHour, seconds: HOUR },
  } satisfies Record<Exclude<SmsSendRefusalReason, 'cooldown' | 'mobile_cooldown'>, LimitWindow>;
  const reasonOf = new Map(Object.entries(windows).map(([reason, window]) => [window, reason]));

  // Cheapest and most specific first; the global counter, a hot key, is only touched by
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

  const cooldownKey = (bindingId: string) => `sms:cooldown:${bindingId}`;
  const mobileCooldownKey = (mobile: Mobile) =>
    `sms:cooldown:mobile:${hashSubject('mobile', mobile.e164, deps.subjectKey)}`;

  /**
   * Claims the mobile's cooldown for this sign-in, atomically: across sign-ins, one code per
   * cooldown per number. The claim holds the binding, so the same sign-in's next resend (whose
   * own cooldown just ended) is not refused by the tail of its own claim.
   */
  async function claimMobileCooldown(request: SmsSendRequest, seconds: number): Promise<number> {
    const key = mobileCooldownKey(request.mobile);
    if (await store.setIfAbsent(key, request.bindingId, seconds)) return 0;
    if ((await store.get(key)) === request.bindingId) {
      await store.set(key, request.bindingId, seconds);
      return 0;
    }
    return Math.max(1, await store.ttl(key));
  }
  const sendsKey = (bindingId: string) => `sms:sends:${bindingId}`;

  /** The wait after a binding's send when `previousSends` codes went out before it. */
  function cooldownAfter(previousSends: number): number {
    const grown = limits.resendCooldownSeconds * COOLDOWN_GROWTH_FACTOR ** previousSends;
    return Math.max(1, Math.ceil(Math.min(grown, MAX_COOLDOWN_SECONDS)));
  }

  /** Lifts this sign-in's cooldowns: its own, and the mobile's if this sign-in holds it. */
  async function releaseCooldowns(request: SmsSendRequest): Promise<void> {
    await store.delete(cooldownKey(request.bindingId));
    const key = mobileCooldownKey(request.mobile);
    if ((await store.get(key)) === request.bindingId) await store.delete(key);
  }

  async function cooldownRemaining(bindingId: string): Promise<number> {
    const ttl = await store.ttl(cooldownKey(bindingId));
    return Math.max(0, ttl);
  }

  return {
    async reserve(request) {
      const { bindingId } = request;
      const previousSends = Number((await store.get(sendsKey(bindingId))) ?? 0);
      const cooldown = cooldownAfter(previousSends);
      // Claiming the cooldown key is the binding's lock: of concurrent resends only one passes.
      const claimed = await store.setIfAbsent(cooldownKey(bindingId), '1', cooldown);
      if (!claimed) {
        return {
          allowed: false,
          reason: 'cooldown',
          retryAfterSeconds: Math.max(1, await cooldownRemaining(bindingId)),
        };
      }
      const mobileWait = await claimMobileCooldown(request, cooldown).catch(async (error) => {
        await store.delete(cooldownKey(bindingId)).catch(() => {});
        throw error;
      });
      if (mobileWait > 0) {
        await store.delete(cooldownKey(bindingId));
        return { allowed: false, reason: 'mobile_cooldown', retryAfterSeconds: mobileWait };
      }

      let result: Awaited<ReturnType<typeof hitAll>>;
      try {
        result = await hitAll(counter, windowHits(request));
      } catch (error) {
        await releaseCooldowns(request).catch(() => {});
        throw error;
      }
      if (!result.ok) {
        await releaseCooldowns(request);
        const reason = reasonOf.get(result.refusedBy.window) as SmsSendRefusalReason;
        return { allowed: false, reason, retryAfterSeconds: result.refusedBy.retryAfterSeconds };
      }
      await store.increment(sendsKey(bindingId), BINDING_STATE_TTL_SECONDS);
      return { allowed: true };
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
