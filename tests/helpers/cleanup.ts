// Set up before every test file: the folders the file made are removed after its last hook (the
// hooks run as a stack, so this one, registered first, runs after the file's own, which close
// the databases and stop the processes that use them).
import { afterAll } from 'vitest'
import { removeTempDirs } from './temp.ts'

afterAll(() => {
  const left = removeTempDirs()
  if (left.length) console.warn(`temporary folders not removed:\n${left.join('\n')}`)
})
