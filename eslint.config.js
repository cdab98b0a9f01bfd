// Lint rules that keep the architecture honest: the core never imports Electron, and only the two
// IPC helpers touch ipcMain / ipcRenderer (everything else goes through the typed contract).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const ipcOnlyHere = ['src/main/ipc.ts', 'src/preload/index.ts'];
const noRawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed contract: bind handlers in src/main/ipc.ts, call window.benchtop in the renderer.',
};
const noElectron = {
  name: 'electron',
  message: 'The core, CLI, shared contract and renderer run without Electron; pass what you need in through a constructor.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.test-env/**', 'test-results/**', 'playwright-report/**', 'bin/**', 'images/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noRawIpc] }],
    },
  },
  {
    files: ipcOnlyHere,
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/main/core/**', 'src/cli/**', 'src/shared/**', 'src/renderer/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'bin/**/*.js', '*.config.{js,ts}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
