// What every chaos run in the test suite must show, whichever process it kills: nothing lost, lost answers marked
// within one attempt, one refresh per family at a time, stores intact, no secret anywhere, every check passed.
import { expect } from 'vitest'
import type { ChaosResult } from '../chaos/chaos.ts'

export function expectChaosHeld(result: ChaosResult): void {
  const f = result.figures
  expect(result.problems).toEqual([])
  expect(f.lost).toBe(0)
  expect(f.mostAttemptsBeforeMark).toBeLessThanOrEqual(1)
  expect(f.needsReauthMarks).toBe(f.committedUnanswered)
  expect(f.maxConcurrentRefreshesPerFamily).toBeLessThanOrEqual(1)
  expect(f.maxRequestsPerTokenPerMinute).toBeLessThanOrEqual(100)
  expect(f.storeFilesFailedToLoad).toBe(0)
  expect(f.secretsInClear).toBe(0)
  expect(f.secretsInOutput).toBe(0)
  expect(f.filesOpenToOthers).toBe(0)
  expect(f.retriesTooEarly).toBe(0)
  expect(f.healthyAtEnd + f.needsReauthAtEnd).toBe(f.libraries)
  for (const check of result.checks) expect(check.ok, `${check.name}: ${check.detail}`).toBe(true)
}
