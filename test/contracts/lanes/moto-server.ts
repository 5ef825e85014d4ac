// The over-the-wire lane: moto's server mode on loopback, one server per suite file. Started in
// beforeAll with a bounded wait for readiness, always stopped in afterAll; where moto is not installed
// for python3 the lane is skipped with the reason printed.
import { afterAll, beforeAll, describe } from 'vitest';
import { type MotoEndpoint, type MotoServer, motoUnavailable, startMoto } from './moto-process';

/** Prints why the moto lane is skipped, once per suite file. */
function reportMotoSkip(suite: string, reason: string): void {
  console.warn(`[contract tests] ${suite}: the moto lane is SKIPPED: ${reason}`);
}

/**
 * Registers a suite's moto lane: one server for the file (started in beforeAll, stopped in afterAll),
 * handed to `register` through `server()`. Where moto is absent, the lane's own cases are listed as
 * skipped, under a title naming why (the one skip this suite allows).
 */
export function motoLane(suite: string, register: (server: () => MotoEndpoint) => void): void {
  const missing = motoUnavailable();
  if (missing) reportMotoSkip(suite, missing);
  describe.skipIf(missing !== undefined)(`${suite}: moto lane${missing ? ` (skipped: ${missing})` : ''}`, () => {
    let moto: MotoServer | undefined;
    beforeAll(async () => {
      moto = await startMoto();
    });
    afterAll(async () => {
      await moto?.stop();
    });
    register(() => {
      if (!moto) throw new Error('moto server is not running: beforeAll did not start it');
      return moto.config;
    });
  });
}
