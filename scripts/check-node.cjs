'use strict'
// Runs before anything else in `npm install`/`npm ci`, `npm start`, `npm test`, `npm run dev` and `npm run dev:web`
// (the "pre…" scripts in package.json), on whatever Node the person has. So it is CommonJS, needs no package and
// uses only syntax an old Node parses. Without it an old Node installs with a screenful of EBADENGINE warnings
// and then fails on ".ts" files with an error that never says the Node is too old.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, as said above */
const fs = require('fs')
const path = require('path')
/* eslint-enable @typescript-eslint/no-require-imports -- only these two lines load modules */

const MANIFEST = path.join(__dirname, '..', 'package.json')

/** The lowest Node Larder runs on, from package.json's engines.node, which must read ">=MAJOR.MINOR[.PATCH]". */
function minimumFromRange(range) {
  const match = /^\s*>=\s*(\d+\.\d+(?:\.\d+)?)\s*$/.exec(String(range))
  if (!match) throw new Error('package.json engines.node must read ">=MAJOR.MINOR[.PATCH]", not ' + JSON.stringify(range))
  return match[1]
}

function parts(version) {
  return String(version)
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map(function (part) {
      return parseInt(part, 10) || 0
    })
}

function isAtLeast(version, minimum) {
  const have = parts(version)
  const need = parts(minimum)
  for (let i = 0; i < 3; i++) {
    if ((have[i] || 0) !== (need[i] || 0)) return (have[i] || 0) > (need[i] || 0)
  }
  return true
}

/** What to print when `version` is older than `minimum`, or null when it is new enough. */
function tooOldMessage(version, minimum) {
  if (isAtLeast(version, minimum)) return null
  return (
    'Larder needs Node ' + minimum + ' or newer; this is ' + String(version).replace(/^v/, '') + '.\n' +
    'Get a newer one without touching the system\'s Node as README.md shows under "If your Node is older", ' +
    'then run this command again.'
  )
}

function minimumNode() {
  return minimumFromRange(JSON.parse(fs.readFileSync(MANIFEST, 'utf8')).engines.node)
}

module.exports = { minimumFromRange: minimumFromRange, isAtLeast: isAtLeast, tooOldMessage: tooOldMessage, minimumNode: minimumNode }

if (require.main === module) {
  const message = tooOldMessage(process.versions.node, minimumNode())
  if (message) {
    process.stderr.write(message + '\n\n')
    process.exit(1)
  }
}
