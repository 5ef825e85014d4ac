#!/usr/bin/env node
// `npx --no-install failover-guard …` in the checkout: tsx compiles the TypeScript CLI on the fly, no build step.
import { register } from 'tsx/esm/api';

// The SDK's 8-line notice that releases after January 2027 need Node 22 would open every AWS command;
// package-lock.json pins the SDK, and the deployed functions run on Node 22 (docs/cli.md says so).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../lambdas/cli/main.ts');
await main(process.argv);
