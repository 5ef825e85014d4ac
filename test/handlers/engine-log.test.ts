import { describe, expect, it, vi } from 'vitest';
import { engineLog } from '../../lambdas/contracts/telemetry-names';

describe('engineLog', () => {
  it('logs an entry at the level it names: error, warn, else info', () => {
    // Prepare
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const log = engineLog(logger);
    // Act
    log({ event: 'notify.failed', level: 'error', error: 'throttled' });
    log({ event: 'cloud.read-failed', level: 'warn', failed: ['dns www: timeout'] });
    log({ event: 'observe.summary', probes: 3 });
    // Assess
    expect(logger.error).toHaveBeenCalledWith('notify.failed', {
      event: 'notify.failed',
      level: 'error',
      error: 'throttled',
    });
    expect(logger.warn).toHaveBeenCalledWith('cloud.read-failed', {
      event: 'cloud.read-failed',
      level: 'warn',
      failed: ['dns www: timeout'],
    });
    expect(logger.info).toHaveBeenCalledWith('observe.summary', { event: 'observe.summary', probes: 3 });
    expect(logger.info).toHaveBeenCalledTimes(1);
  });
});
