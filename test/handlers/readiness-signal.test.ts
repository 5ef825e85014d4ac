// What a readiness cycle publishes and writes, through the checker's readiness-signal document, when
// writes fail, reads fail, the document is damaged, or two instances of the checker race.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../lambdas/adapters/memory/memory-state-store';
import { readinessSignal } from '../../lambdas/handlers/readiness-signal';
import type { StateStorePort } from '../../lambdas/ports/state-store.port';
import { captureOutput, powertools } from './handler-fixtures';

const AT = new Date('2026-11-26T20:00:00.000Z');
const KEY = ['readiness-signal', 'eu-west-1'] as const;
/** guard.readinessCheckSeconds: a readiness cycle every 5 minutes. */
const PERIOD_MS = 300_000;

describe('the readiness signal', () => {
  let stdout: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    stdout = captureOutput();
    period = 0;
  });
  afterEach(() => stdout.restore());

  const published = () => stdout.metric('ReadinessFailures').map((m) => m.ReadinessFailures);
  /** The readiness cycles' clock: AT plus `period` readiness periods. */
  let period = 0;
  const now = () => new Date(AT.getTime() + period * PERIOD_MS);
  const instance = (store: StateStorePort) =>
    readinessSignal({ store, checker: 'eu-west-1', ...powertools('shop'), now, readinessCheckSeconds: 300 });
  /** The alarm as CloudWatch reports it, counting the reads. */
  const alarm = (ok: boolean | Error) => {
    const reads = { count: 0 };
    const read = async () => {
      reads.count += 1;
      if (ok instanceof Error) throw ok;
      return ok;
    };
    return Object.assign(read, { reads });
  };
  /** A store whose puts (or gets) fail with `error`. */
  const failing = (store: StateStorePort, call: 'put' | 'get', error: Error): StateStorePort =>
    Object.assign(Object.create(store) as StateStorePort, { [call]: async () => Promise.reject(error) });

  it('marks the document pending with the time of every count, publishes every count, and reads no alarm while checks fail', async () => {
    // Prepare
    const store = new MemoryStateStore({ now: () => AT });
    const signal = instance(store);
    const read = alarm(true);
    // Act
    await signal(2, read);
    period = 1;
    await signal(1, read);
    // Assess: each count writes (its time, a new version: an "ok" from an older read cannot stand)
    expect(await store.get(...KEY)).toEqual({
      namespace: 'readiness-signal',
      name: 'eu-west-1',
      value: { alarm: 'pending', at: now().toISOString(), schemaVersion: 1 },
      version: 2,
    });
    expect(published()).toEqual([2, 1]);
    expect(read.reads.count).toBe(0);
  });

  it('publishes the zero while the last count is recent or the alarm is not OK, and once more when it finds it OK; then nothing', async () => {
    // Prepare: a count was published
    const store = new MemoryStateStore({ now: () => AT });
    const signal = instance(store);
    await signal(1, alarm(true));
    // Act: one period later the count is under a period and a minute old: the alarm is not asked
    period = 1;
    const early = alarm(true);
    await signal(0, early);
    period = 2;
    await signal(0, alarm(false));
    period = 3;
    const ok = alarm(true);
    await signal(0, ok);
    period = 4;
    await signal(0, ok);
    // Assess
    expect(early.reads.count).toBe(0);
    expect(published()).toEqual([1, 0, 0, 0]);
    expect(ok.reads.count).toBe(1);
    expect((await store.get(...KEY))?.value).toEqual({
      alarm: 'ok',
      at: new Date(AT.getTime() + 3 * PERIOD_MS).toISOString(),
      schemaVersion: 1,
    });
  });

  it('writes no "ok" over a count another instance made while it read the alarm: the zeros go on until that count is old', async () => {
    // Prepare: a count long ago; B passes and reads the alarm, which says OK from before A's new count
    const store = new MemoryStateStore({ now: () => AT });
    await instance(store)(1, alarm(true));
    period = 2;
    const a = instance(store);
    const staleOk = Object.assign(
      async () => {
        await a(3, alarm(true));
        return true;
      },
      { reads: { count: 0 } },
    );
    // Act
    await instance(store)(0, staleOk);
    // Assess: A's pending stands (B's "ok" lost its compare-and-swap), B's zero went out after A's count
    expect(await store.get(...KEY)).toMatchObject({ value: { alarm: 'pending', at: now().toISOString() } });
    expect(published()).toEqual([1, 3, 0]);
    // Act: the next passing periods publish zeros, and "ok" once A's count is old and the alarm OK
    period = 3;
    await instance(store)(0, alarm(true));
    period = 4;
    await instance(store)(0, alarm(true));
    // Assess
    expect(published()).toEqual([1, 3, 0, 0, 0]);
    expect((await store.get(...KEY))?.value).toMatchObject({ alarm: 'ok' });
  });

  it('still publishes the count when the pending write fails (an error says why), and this instance trusts no "ok" until it reads the alarm OK', async () => {
    // Prepare: the document says ok; the next write is refused
    const store = new MemoryStateStore({ now: () => AT });
    const signal = instance(store);
    await signal(0, alarm(true));
    const refusing = readinessSignal({
      store: failing(store, 'put', new Error('ProvisionedThroughputExceededException')),
      checker: 'eu-west-1',
      ...powertools('shop'),
      now,
      readinessCheckSeconds: 300,
    });
    // Act
    await refusing(3, alarm(true));
    const notOk = alarm(false);
    await refusing(0, notOk);
    // Assess: the count, then the zero (the stored "ok" is not trusted here)
    expect(published()).toEqual([0, 3, 0]);
    expect(notOk.reads.count).toBe(1);
    expect(stdout.logs('checker.readiness-signal-unwritten')[0]).toMatchObject({
      level: 'ERROR',
      alarm: 'pending',
      error: expect.objectContaining({ message: 'ProvisionedThroughputExceededException' }),
    });
  });

  it('reads an unreadable or damaged document as not known OK: the alarm is read and the zero published', async () => {
    // Prepare: a damaged document; then a store whose reads fail
    const store = new MemoryStateStore({ now: () => AT });
    await store.put(...KEY, { alarm: 'maybe', at: AT.toISOString(), schemaVersion: 1 }, 0);
    const damaged = alarm(true);
    // Act
    await instance(store)(0, damaged);
    // Assess: the damaged document is overwritten with "ok"
    expect(damaged.reads.count).toBe(1);
    expect(await store.get(...KEY)).toMatchObject({ value: { alarm: 'ok' }, version: 2 });
    // Act: unreadable (the document says ok)
    const unreadable = alarm(true);
    await instance(failing(store, 'get', new Error('RequestLimitExceeded')))(0, unreadable);
    // Assess
    expect(unreadable.reads.count).toBe(1);
    expect(published()).toEqual([0, 0]);
    expect(stdout.logs('checker.readiness-signal-unread')[0]).toMatchObject({
      level: 'WARN',
      error: expect.objectContaining({ message: 'RequestLimitExceeded' }),
    });
  });

  it('two instances counting at once: the one whose write conflicts writes pending again over the other, and both counts go out', async () => {
    // Prepare: the document says ok; B marks it pending between A's read and A's write
    const store = new MemoryStateStore({ now: () => AT });
    await instance(store)(0, alarm(true));
    const b = instance(store);
    let raced = false;
    const racing: StateStorePort = Object.assign(Object.create(store) as StateStorePort, {
      put: async (...args: Parameters<StateStorePort['put']>) => {
        if (!raced) {
          raced = true;
          await b(2, alarm(true));
        }
        return store.put(...args);
      },
    });
    // Act
    await instance(racing)(1, alarm(true));
    // Assess: B's pending write, then A's over it (no error)
    expect(await store.get(...KEY)).toMatchObject({ value: { alarm: 'pending' }, version: 3 });
    expect(published()).toEqual([0, 2, 1]);
    expect(stdout.logs('checker.readiness-signal-unwritten')).toEqual([]);
  });
});
