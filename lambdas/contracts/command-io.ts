// How every command talks to the outside, the CLI's and the CDK app's entry (cdk synth) alike:
// written output, an exit code, and the errors that choose it; injected so tests capture them
// without spawning a process.

/** Exit codes every command uses. */
export const ExitCode = {
  OK: 0,
  /** Something is unhealthy, a high-severity single point of failure, or an expectation failed. */
  FAILED: 1,
  /** The input is wrong: a bad config, a missing file, an unknown option. */
  BAD_INPUT: 2,
  /** The environment failed the command: no credentials, AWS unreachable, throttled past retries, a file not writable. */
  ENVIRONMENT: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliIo {
  /** Writes text as is (end lines with "\n"). */
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
}

/** The real process: stdout, stderr and process.exitCode (never process.exit, so output is flushed). */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** Wrong input that is not a topology problem (a bad option value, an unknown plan id); exits 2. */
export class InputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** The environment kept the command from finishing (a file that cannot be written, a service that hung); exits 3. */
export class EnvironmentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EnvironmentError';
  }
}
