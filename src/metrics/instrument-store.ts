import type { LogEntry, Store } from '../store/store.js';
import type { Metrics } from './metrics.js';

/**
 * A Store that times every operation of the store it wraps (`darvaze_store_operation_duration_seconds`
 * by method and outcome) and otherwise behaves exactly like it. Keys never become labels.
 */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  type Timer = ReturnType<typeof metrics.store.duration.labels>;
  const timers = new Map<string, { ok: Timer; error: Timer }>();
  const timerFor = (operation: string) => {
    let timer = timers.get(operation);
    if (!timer) {
      // Bound children, made once per operation.
      timer = {
        ok: metrics.store.duration.labels(operation, 'ok'),
        error: metrics.store.duration.labels(operation, 'error'),
      };
      timers.set(operation, timer);
    }
    return timer;
  };
  // A promise handler, not an async wrapper: every Redis round trip passes here (issue 17).
  function timed<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const timer = timerFor(operation);
    const started = performance.now();
    let running: Promise<T>;
    try {
      running = run();
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then(
      (result) => {
        timer.ok.observe((performance.now() - started) / 1000);
        return result;
      },
      (error: unknown) => {
        timer.error.observe((performance.now() - started) / 1000);
        throw error;
      },
    );
  }

  return {
    kind: store.kind,
    get: (key) => timed('get', () => store.get(key)),
    getMany: (keys) => timed('getMany', () => store.getMany(keys)),
    set: (key, value, ttlSeconds) => timed('set', () => store.set(key, value, ttlSeconds)),
    setIfAbsent: (key, value, ttlSeconds) =>
      timed('setIfAbsent', () => store.setIfAbsent(key, value, ttlSeconds)),
    take: (key) => timed('take', () => store.take(key)),
    delete: (key) => timed('delete', () => store.delete(key)),
    deleteIfEquals: (key, value) => timed('deleteIfEquals', () => store.deleteIfEquals(key, value)),
    increment: (key, ttlSeconds, by) => timed('increment', () => store.increment(key, ttlSeconds, by)),
    incrementAll: (counters, by) => timed('incrementAll', () => store.incrementAll(counters, by)),
    countAttempt: (counterKey, lockKey, limits) =>
      timed('countAttempt', () => store.countAttempt(counterKey, lockKey, limits)),
    reserveSend: (plan) => timed('reserveSend', () => store.reserveSend(plan)),
    prependLine: (key, line, maxLines, ttlSeconds) =>
      timed('prependLine', () => store.prependLine(key, line, maxLines, ttlSeconds)),
    ttl: (key) => timed('ttl', () => store.ttl(key)),
    expire: (key, ttlSeconds) => timed('expire', () => store.expire(key, ttlSeconds)),
    addToSet: (key, member, ttlSeconds) => timed('addToSet', () => store.addToSet(key, member, ttlSeconds)),
    removeFromSet: (key, member) => timed('removeFromSet', () => store.removeFromSet(key, member)),
    setMembers: (key) => timed('setMembers', () => store.setMembers(key)),
    putInMap: (key, field, value, ttlSeconds) =>
      timed('putInMap', () => store.putInMap(key, field, value, ttlSeconds)),
    getFromMap: (key, field) => timed('getFromMap', () => store.getFromMap(key, field)),
    removeFromMap: (key, field) => timed('removeFromMap', () => store.removeFromMap(key, field)),
    mapEntries: (key) => timed('mapEntries', () => store.mapEntries(key)),
    addToTimedSet: (key, member, expiresAtSeconds, ttlSeconds) =>
      timed('addToTimedSet', () => store.addToTimedSet(key, member, expiresAtSeconds, ttlSeconds)),
    removeFromTimedSet: (key, member) =>
      timed('removeFromTimedSet', () => store.removeFromTimedSet(key, member)),
    timedSetMembers: (key) => timed('timedSetMembers', () => store.timedSetMembers(key)),
    appendLog: (key, entry, maxLength) => timed('appendLog', () => store.appendLog(key, entry, maxLength)),
    readLog: (key, count): Promise<LogEntry[]> => timed('readLog', () => store.readLog(key, count)),
    trimLog: (key, olderThanEpochMs) => timed('trimLog', () => store.trimLog(key, olderThanEpochMs)),
    ping: () => timed('ping', () => store.ping()),
    close: () => store.close(),
  };
}
