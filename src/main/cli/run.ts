// The command's entry: runs `larder …` with the process's own arguments and streams, and exits with its status.
import { terminalSecret } from './lock.ts'
import { main } from './main.ts'

const status = await main(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  // A locked Larder's passphrase is asked on the terminal, when stdin is one.
  askSecret: terminalSecret()
})
// Let stdout drain (a pipe may be slow) before the status is set and the process ends.
process.exitCode = status
