// See index.ts: the sandbox's vocabulary, from its home in src/main/sandbox.
export * from '../../src/main/sandbox/model.ts'
