#!/usr/bin/env node
// `npx failover-guard …` in the checkout: tsx compiles the TypeScript CLI on the fly, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lambdas/cli/main.ts');
await main(process.argv);
