// ESLint over every TypeScript file the project type-checks (eslint.config.js: typescript-eslint's
// recommended type-checked rules and React's rules of hooks), no warning let through, as
// `npm run lint` runs it. A file of the unit project, which the suite runs first: it lints while
// the template databases and the page are still being built, on the core they leave idle.
import { ESLint } from 'eslint'
import { expect, test } from 'vitest'
import { projectRoot } from '../src/db/embedded.ts'

test('ESLint finds no error and no warning', async () => {
  const eslint = new ESLint({ cwd: projectRoot })
  const results = await eslint.lintFiles(['.'])
  expect(results.length, 'files linted').toBeGreaterThan(100)
  const problems = results.filter((r) => r.errorCount + r.warningCount + r.fatalErrorCount > 0)
  const report = problems.length ? await (await eslint.loadFormatter('stylish')).format(problems) : ''
  expect(problems.length, report).toBe(0)
}, 600_000)
