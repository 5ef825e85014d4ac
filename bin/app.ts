import { createApp } from '../lib/app';

(await createApp()).app.synth();
