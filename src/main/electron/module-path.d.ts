// electron-vite's `?modulePath` import: the path of a module it bundles on its own (the vault's worker thread).
// Under vitest and plain Node the import is of the module itself, whose default export is then null.
declare module '*?modulePath' {
  const path: string | null
  export default path
}
