// Plain JavaScript on purpose: a .ts preload would make each of hundreds of processes load Node's type stripper.
// Preloaded (`node --import`) into `larder` processes that must reach the agent together: Node has booted, then the
// process waits here, before the command's own module loads, until the test creates `go` in LARDER_TEST_BARRIER. It
// first leaves `ready-<pid>` there, so the test knows when every process is waiting. The command itself is untouched.
// Polled, not watched: inotify instances are a per-user budget that hundreds of processes would exhaust.
import fs from 'node:fs'
import path from 'node:path'

const dir = process.env['LARDER_TEST_BARRIER']
if (dir !== undefined) {
  const go = path.join(dir, 'go')
  fs.writeFileSync(path.join(dir, `ready-${process.pid}`), '')
  // A test that ended without releasing removes the folder: then give up rather than wait forever.
  while (!fs.existsSync(go)) {
    if (!fs.existsSync(dir)) process.exit(125)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
