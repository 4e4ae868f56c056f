// Starts many `larder` processes at once from a small process of its own, so the test process (which hosts the
// sandbox the agent talks to) never stalls on hundreds of synchronous spawns. Input on stdin: { file, runs: [args…],
// env }. Writes "spawned" on stderr once all are started, then one JSON array of their ends on stdout.
import { spawn } from 'node:child_process'

interface Spec {
  readonly file: string
  readonly runs: readonly (readonly string[])[]
  readonly env: Readonly<Record<string, string>>
}

let input = ''
for await (const chunk of process.stdin) input += String(chunk)
const spec = JSON.parse(input) as Spec
type End = { code: number | null; signal: string | null; stdout: string; stderr: string }
const ending = spec.runs.map(
  (args) =>
    new Promise<End>((resolve) => {
      const child = spawn(spec.file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: spec.env })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.once('error', (error) => resolve({ code: null, signal: null, stdout, stderr: stderr + error.message }))
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    })
)
process.stderr.write('spawned\n')
process.stdout.write(JSON.stringify(await Promise.all(ending)))
