// 200 `larder token` processes at once for one library whose token is due for a copy (inside the copy margin, before
// the refresh timer): the agent makes exactly one refresh at the sandbox, every process prints the same new token, the
// audit has 200 hand-outs and one refresh, and the agent's log holds nothing of the token.
import fs from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { agentLog, auditEntries, HOUR, larderMany, MINUTE, startAgent, startWorld, type AgentProcess, type TerminalWorld, killStragglers } from '../../support/terminal-harness.ts'

const PROCESSES = 200
/**
 * Longer than 200 processes take to start and connect on a 2-core machine (the test checks that they did), and
 * shorter than the app's own wait for an answer's headers (15 s), past which it would give up and try again.
 */
const LATENCY_MS = 12_000

let world: TerminalWorld
let agent: AgentProcess | undefined
beforeAll(async () => {
  world = await startWorld({
    // Copy due (30 min left, margin 1 h), the timer not (it fires 10 min before expiry).
    settings: { refreshAheadMs: 10 * MINUTE, copyFreshnessMarginMs: HOUR },
    libraries: [{ name: 'Brasserie Due', expiresInMs: 30 * MINUTE }]
  })
}, 60_000)
afterAll(async () => {
  await agent?.stop()
  killStragglers()
  await world.close()
})

/** The inodes of sockets connected to the endpoint now (Linux: an accepted end carries the socket's path). */
function connectedTo(socket: string): string[] {
  return fs
    .readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[7] === socket && fields[5] === '03')
    .map((fields) => fields[6] as string)
}

it('200 concurrent larder token calls for a due library make exactly one refresh', { timeout: 300_000 }, async () => {
  const [due] = world.libraries
  if (due === undefined) throw new Error('no library')
  agent = await startAgent(world)
  const family = due.credentials.familyId
  const oldToken = due.accessToken
  const before = world.sandbox.counters.tokenRequestsByFamily(family)
  const handedBefore = auditEntries(world.dataDir).filter((entry) => entry.action === 'handed_out').length
  world.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: LATENCY_MS, familyId: family })
  const socket = `${world.dataDir}/run/larder.sock`
  const calls = larderMany(
    world,
    Array.from({ length: PROCESSES }, (_, i) => ({ args: ['token', 'Brasserie Due'], byEnv: i % 2 === 0 }))
  )
  await calls.release()
  const releasedAt = Date.now()
  // Every process reaches the agent (its connection accepted) before the one refresh is answered. A connection made
  // while the refresh is in flight stays open until then, so polling sees each one.
  let finished = false
  const ending = calls.done.finally(() => (finished = true))
  const seen = new Set<string>()
  let allConnectedAt = Number.POSITIVE_INFINITY
  while (!finished && seen.size < PROCESSES) {
    for (const inode of connectedTo(socket)) seen.add(inode)
    if (seen.size >= PROCESSES) allConnectedAt = Date.now()
    else await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const ends = await ending
  // For the report: how tight the window was on this machine.
  console.log(`${seen.size} of ${PROCESSES} connected while the refresh was in flight, the last ${allConnectedAt - releasedAt} ms after the release`)

  const hits = world.sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.familyId === family)
  expect(world.sandbox.counters.tokenRequestsByFamily(family) - before, JSON.stringify(ends.filter((end) => end.code !== 0).slice(0, 3))).toBe(1)
  const refresh = hits.at(-1)
  expect(refresh).toBeDefined()
  expect(seen.size).toBe(PROCESSES)
  expect(allConnectedAt).toBeLessThan((refresh?.at ?? 0) + LATENCY_MS)
  expect(ends.map((end) => end.code)).toEqual(Array.from({ length: PROCESSES }, () => 0))
  const printed = new Set(ends.map((end) => end.stdout))
  expect(printed.size).toBe(1)
  const [token] = printed
  expect(token).toMatch(/^\S{20,}\n$/)
  expect((token as string).trim()).not.toBe(oldToken)
  expect(ends.every((end) => end.stderr === '')).toBe(true)

  const stopped = await agent.stop()
  expect(stopped.code).toBe(0)
  agent = undefined
  const trail = auditEntries(world.dataDir)
  expect(trail.filter((entry) => entry.action === 'handed_out').length - handedBefore).toBe(PROCESSES)
  expect(trail.filter((entry) => entry.action === 'refreshed' && entry.libraryId === due.id)).toHaveLength(1)
  const log = agentLog(world.dataDir)
  expect(log).not.toContain((token as string).trim())
  expect(log).not.toContain(oldToken)
  // The agent echoes its log on stderr: nothing of the token there either.
  expect(stopped.stderr).not.toContain((token as string).trim())
  expect(fs.readFileSync(`${world.dataDir}/audit.jsonl`, 'utf8')).not.toContain((token as string).trim())
})
