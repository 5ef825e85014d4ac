// Registers aws-sdk-client-mock's matchers (toReceiveCommandWith, …) once for every test file.
import 'aws-sdk-client-mock-vitest/extend';
import { createRequire } from 'node:module';
import { afterAll } from 'vitest';

// The SDK's Node 22 notice (see bin/failover-guard.mjs) would otherwise print once per test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// The fast lane shares one module cache per worker (isolate: false), and aws-sdk-client-mock stubs a
// client class's prototype in sinon's default sandbox (of sinon's CommonJS build, which it requires):
// restoring it after each file gives the next file in the worker real clients again.
const sinon: { restore(): void } = createRequire(import.meta.url)('sinon');
afterAll(() => sinon.restore());
