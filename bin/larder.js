#!/usr/bin/env node
// `larder`: the client commands from the built bundle when there is one (`npm run build:cli`), else from source;
// `larder agent` always from source, where the whole app is (it starts once and then runs for days).
import fs from 'node:fs'

const built = new URL('../out/cli/larder.js', import.meta.url)
const agent = process.argv[2] === 'agent'
await import(!agent && fs.existsSync(built) ? built.href : new URL('../src/main/cli/run.ts', import.meta.url).href)
