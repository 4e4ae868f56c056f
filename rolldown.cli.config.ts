// The `larder` command as one small JavaScript file (out/cli/larder.js): Node's built-ins and the shared words only,
// so it starts in tens of milliseconds (Node strips the types of a .ts file first, ~100 ms more). `larder agent` runs
// the whole app and is left to bin/larder.js, which starts it from source: it starts once and runs for days.
import { defineConfig, type BuildOptions } from 'rolldown'

/** Also what the tests build the command with (test/unit/packaging/cli-bundle.test.ts, the terminal harness). */
export const cliBuildOptions = {
  input: { larder: 'src/main/cli/run.ts' },
  platform: 'node',
  // The agent's module (reached by `import()` only for `larder agent`) is not part of the command's bundle.
  external: [/^node:/, /\/agent\/main\.ts$/],
  output: { dir: 'out/cli', format: 'esm', entryFileNames: '[name].js', minify: false }
} satisfies BuildOptions

export default defineConfig(cliBuildOptions)
