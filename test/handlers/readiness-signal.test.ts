// What a readiness cycle publishes and writes, through the checker's readiness-signal document, when
// writes fail, reads fail, the document is damaged, or two instances of the checker race.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../lambdas/adapters/memory/memory-state-store';
import { readinessSignal } from '../../lambdas/handlers/readiness-signal';
import type { StateStorePort } from '../../lambdas/ports/state-store.port';
import { captureOutput, powertools } from './handler-fixtures';

const AT = new Date('2026-11-26T20:00:00.000Z');
const KEY = ['readiness-signal', 'eu-west-1'] as const;

describe('the readiness signal', () => {
  let stdout: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    stdout = captureOutput();
  });
  afterEach(() => stdout.restore());

  const published = () => stdout.metric('ReadinessFailures').map((m) => m.ReadinessFailures);
  const instance = (store: StateStorePort) =>
    readinessSignal({ store, checker: 'eu-west-1', ...powertools('shop'), now: () => AT });
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

  it('marks the document pending once, publishes every count, and reads no alarm while checks fail', async () => {
    // Prepare
    const store = new MemoryStateStore({ now: () => AT });
    const signal = instance(store);
    const read = alarm(true);
    // Act
    await signal(2, read);
    await signal(1, read);
    // Assess: one write (the second count finds it pending)
    expect(await store.get(...KEY)).toEqual({
      namespace: 'readiness-signal',
      name: 'eu-west-1',
      value: { alarm: 'pending', at: AT.toISOString(), schemaVersion: 1 },
      version: 1,
    });
    expect(published()).toEqual([2, 1]);
    expect(read.reads.count).toBe(0);
  });

  it('publishes the zero while the alarm is not OK or unreadable, and once more when it finds it OK; then nothing', async () => {
    // Prepare: a count was published
    const store = new MemoryStateStore({ now: () => AT });
    const signal = instance(store);
    await signal(1, alarm(true));
    // Act
    await signal(0, alarm(false));
    await signal(0, alarm(false));
    const ok = alarm(true);
    await signal(0, ok);
    await signal(0, ok);
    // Assess
    expect(published()).toEqual([1, 0, 0, 0]);
    expect(ok.reads.count).toBe(1);
    expect((await store.get(...KEY))?.value).toEqual({ alarm: 'ok', at: AT.toISOString(), schemaVersion: 1 });
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
      now: () => AT,
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

  it('two instances counting at once: the one whose write conflicts finds the document pending, and both counts go out', async () => {
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
    // Assess: one pending write (B's), no error
    expect(await store.get(...KEY)).toMatchObject({ value: { alarm: 'pending' }, version: 2 });
    expect(published()).toEqual([0, 2, 1]);
    expect(stdout.logs('checker.readiness-signal-unwritten')).toEqual([]);
  });
});
