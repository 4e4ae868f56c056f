import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Three entries found by convention: src/main, src/preload, src/renderer.
// The preload runs in a sandboxed renderer, which cannot load ES modules, so it is built as CommonJS.
export default defineConfig({
  main: {
    build: { externalizeDeps: true }
  },
  preload: {
    build: {
      // Bundled whole: a sandboxed preload can require nothing but a few Electron modules.
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    // electron-vite leaves the renderer unminified; Vite's own default (Oxc) more than halves what the page parses.
    build: { minify: 'oxc' }
  }
})
