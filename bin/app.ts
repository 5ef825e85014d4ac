// `cdk synth` / `cdk deploy` entry: a config that cannot deploy is refused with the validate errors
// alone (exit 2), never buried in a stack trace.
import { InputError } from '../lambdas/cli/io';
import { ConfigError } from '../lambdas/domain/errors';
import { createApp } from '../lib/app';

try {
  (await createApp()).app.synth();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof InputError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 2;
}
