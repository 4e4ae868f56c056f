// See index.ts: the sandbox's seeded random numbers, from its home in src/main/sandbox.
export * from '../../src/main/sandbox/rng.ts'
