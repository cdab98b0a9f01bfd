import { fileURLToPath } from 'node:url';

/** The fixture projects, for tests that use them as they are (no test environment needed). */
export const FIXTURES_DIR_FOR_UNIT = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));
