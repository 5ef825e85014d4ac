import { synthesizeApp } from '../lib/app';

await synthesizeApp();
