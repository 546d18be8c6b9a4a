// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const chainBoundary = {
  patterns: [
    {
      group: ['@nestjs/*', '@baton/chain-nest', '@baton/chain-nest/*'],
      message: 'libs/chain is framework-free: it may import only jose and node: built-ins.',
    },
    {
      group: ['**/apps/**', '**/chain-nest/**'],
      message: 'Dependencies point one way: apps -> libs/chain-nest -> libs/chain.',
    },
  ],
};

// Inside libs/chain: the verify side (lib/ and the public modules) and the issue side (issue/)
// share only protocol/ and the pure helpers named below; lib/ never imports a public module.
const SHARED_HELPERS =
  '(protocol/|lib/(hash|errors|chain-path|status-list-encoding|node-signatures)\\.js$)';

const chainLibBoundary = {
  patterns: [
    ...chainBoundary.patterns,
    {
      regex: '^\\.\\./(?!protocol/)',
      message:
        'libs/chain/src/lib is private: it imports only lib/ and protocol/, never a public module.',
    },
  ],
};

const chainIssueBoundary = {
  patterns: [
    ...chainBoundary.patterns,
    {
      regex: `^\\.\\./(?!${SHARED_HELPERS})`,
      message:
        'Issuance shares only protocol/ and lib/ hash, errors, chain-path, status-list-encoding and node-signatures with verification.',
    },
  ],
};

const chainVerifyBoundary = {
  patterns: [
    ...chainBoundary.patterns,
    {
      regex: '(^|/)issue(/|$)',
      message: 'Verification never depends on issuance (@baton/chain/issue).',
    },
  ],
};

const configBoundary = {
  patterns: [
    {
      group: ['@nestjs/*', '@baton/chain-nest', '@baton/chain-nest/*'],
      message:
        'libs/config is framework-free: class-validator, class-transformer, yaml, node: and the @baton/chain/protocol constants only.',
    },
    {
      regex: '^@baton/chain(?!/protocol$)(/.*)?$',
      message:
        'libs/config may use @baton/chain/protocol (constants, no dependencies), nothing else of it.',
    },
    {
      regex: '^\\.{1,2}/.*(apps|chain|chain-nest)/',
      message: 'Dependencies point one way: apps -> libs/config.',
    },
  ],
};

const agentBoundary = {
  patterns: [
    {
      group: ['@nestjs/*', '@baton/chain-nest', '@baton/chain-nest/*', '@baton/config'],
      message: 'libs/agent may import only @baton/chain, oauth4webapi, jose and node: built-ins.',
    },
    {
      group: ['**/apps/**', '**/chain/src/**', '**/chain-nest/**', '**/config/**'],
      message: 'Dependencies point one way: apps -> libs/agent -> @baton/chain (by package name).',
    },
  ],
};

const appsBoundary = {
  patterns: [
    {
      regex: '^(\\.\\./)+libs/[^/]+/src(/|$)',
      message:
        'Import workspace libraries by package name (@baton/chain, @baton/chain-nest, @baton/config, @baton/agent).',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.baton/**',
      '**/*.tsbuildinfo',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['libs/chain/**'],
    rules: { 'no-restricted-imports': ['error', chainBoundary] },
  },
  {
    files: ['libs/chain/src/**'],
    ignores: ['libs/chain/src/issue/**', 'libs/chain/src/lib/**'],
    rules: { 'no-restricted-imports': ['error', chainVerifyBoundary] },
  },
  {
    files: ['libs/chain/src/lib/**'],
    rules: { 'no-restricted-imports': ['error', chainLibBoundary] },
  },
  {
    files: ['libs/chain/src/issue/**'],
    rules: { 'no-restricted-imports': ['error', chainIssueBoundary] },
  },
  {
    files: ['libs/config/**'],
    rules: { 'no-restricted-imports': ['error', configBoundary] },
  },
  {
    files: ['libs/agent/**'],
    rules: { 'no-restricted-imports': ['error', agentBoundary] },
  },
  {
    files: ['apps/**'],
    rules: { 'no-restricted-imports': ['error', appsBoundary] },
  },
  prettier,
);
