// The Apicbase sandbox lives in src/main/sandbox (the desktop demo ships it); tests, benchmarks and the
// development host keep importing it from here.
export * from '../../src/main/sandbox/index.ts'
