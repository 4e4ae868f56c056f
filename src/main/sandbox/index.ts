// Public surface of the Apicbase sandbox: a stand-in for the API on 127.0.0.1, for tests, benchmarks, the development
// host and the desktop demo (which ships it: see src/main/demo).
export { startSandbox } from './server.ts'
export type { Sandbox, SandboxOptions } from './server.ts'
export type { SandboxControl } from './control.ts'
export type { SandboxClock } from './clock.ts'
export type { Counters, CountersSnapshot, Hit } from './counters.ts'
export type { ActiveFault, FaultKind, FaultSpec, Faults } from './faults.ts'
export { LIBRARY_IDS, PARTNER_NAME, PERSONAL_USER_ID } from './fixtures.ts'
export { BODY_LIMIT_BYTES, MAX_PAGE_SIZE, PAGE_SIZE } from './http.ts'
export { CODE_LIFETIME_MS } from './state.ts'
export { randomSeed } from './rng.ts'
export { ALL_SCOPES, SandboxError } from './model.ts'
export type {
  AddLibraryOptions,
  ApplicationInfo,
  ApplicationKind,
  AuthorizationCodeSpec,
  CodeChallengeMethod,
  HitRoute,
  IssueTokenPairSpec,
  LibraryCredentials,
  LibraryInfo,
  RefreshTokenRotation,
  RouteName,
  SandboxFixtures,
  Scope,
  TokenKind,
  TokenPair,
  UserFixture
} from './model.ts'
