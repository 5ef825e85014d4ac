// The committed two-region example as a fresh, editable object for each test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const exampleTopologyPath = fileURLToPath(new URL('../../../examples/two-region.json', import.meta.url));
const exampleText = readFileSync(exampleTopologyPath, 'utf8');

// Tests edit it freely, the way a person edits the file, mistakes included.
export type EditableTopology = any;

export function exampleTopology(): EditableTopology {
  return JSON.parse(exampleText);
}
