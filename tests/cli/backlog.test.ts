// atlas backlog list / history / status on a copy of the sample city: a status moved one step with
// who, when and the remark in the history; a skipped step, an unknown status and an unknown code
// refused in the database's words with nothing written.
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BacklogChange, ScoredItem } from '../../src/backlog/types.ts'
import { formatYuan } from '../../src/i18n/core.ts'
import { copySampleDatabase } from '../helpers/databases.ts'
import { openAtlas, type AtlasSession } from '../helpers/cli.ts'
import type { BacklogListItem } from '../../src/cli/commands/backlog.ts'

let session: AtlasSession
const atlas = (...args: string[]) => session.run(...args)


async function list(): Promise<BacklogListItem[]> {
  const { code, out } = await atlas('backlog', 'list', '--json')
  expect(code).toBe(0)
  return JSON.parse(out) as BacklogListItem[]
}

async function history(code: string): Promise<BacklogChange[]> {
  const r = await atlas('backlog', 'history', code, '--json')
  expect(r.code).toBe(0)
  return JSON.parse(r.out) as BacklogChange[]
}

beforeAll(async () => {
  session = await openAtlas(copySampleDatabase())
})
afterAll(() => session?.close())

describe('atlas backlog', () => {
  test('list: every item with code, name, category, status, cost and score; the text names them in Chinese', async () => {
    const items = await list()
    expect(items.length).toBe(56)
    for (const item of items) {
      expect(item.code).toMatch(/^BL-\d{3}$/)
      expect(['硬化', '亮化', '绿化', '洁化', '供水', '排污']).toContain(item.category)
      expect(['proposed', 'approved', 'in_progress', 'done', 'rejected']).toContain(item.status)
      expect(item.cost_yuan).toBeGreaterThan(0)
      expect(item.score).toBeGreaterThanOrEqual(0)
      expect(item.score).toBeLessThanOrEqual(100)
    }
    const total = items.reduce((sum, i) => sum + i.cost_yuan, 0)
    const text = await atlas('backlog', 'list')
    expect(text.code).toBe(0)
    expect(text.out).toContain(`56 items, ${formatYuan('en', total)} in all`)
    for (const item of items) expect(text.out).toContain(item.name)
  })

  test('status: one step, as atlas-cli:<account>, with the remark in the history; then the next step', async () => {
    const item = (await list()).find((i) => i.status === 'proposed')!
    const before = await history(item.code)
    let r = await atlas('backlog', 'status', item.code, 'approved', '--remark', '2026年第一次会议通过')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`${item.code} ${item.name}: now approved (version ${item.version + 1})`)
    expect(r.out).toMatch(/status proposed → approved/)
    expect(r.out).toContain(`atlas-cli:${os.userInfo().username}`)
    expect(r.out).toContain('(2026年第一次会议通过)')
    expect(r.out).toMatch(/next: in_progress or rejected/)
    const after = await history(item.code)
    expect(after.length).toBe(before.length + 1)
    expect(after[0]).toMatchObject({ version: item.version + 1, changed_by: `atlas-cli:${os.userInfo().username}`, remark: '2026年第一次会议通过' })
    expect(after[0].changes.status).toEqual(['proposed', 'approved'])

    r = await atlas('backlog', 'status', item.code, 'in_progress', '--json')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as { item: ScoredItem; change: BacklogChange }
    expect(json.item).toMatchObject({ code: item.code, status: 'in_progress', version: item.version + 2 })
    expect(json.change.changes.status).toEqual(['approved', 'in_progress'])
    expect(json.change.remark).toBeNull()
    const text = await atlas('backlog', 'history', item.code)
    expect(text.out.split('\n')[0]).toMatch(new RegExp(`^v${item.version + 2}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  atlas-cli:.+  status approved → in_progress$`))
    expect(text.out.split('\n')[1]).toMatch(/status proposed → approved {2}\(2026年第一次会议通过\)$/)
  })

  test('a skipped step, an unknown status, an unknown code, a wrong call: refused in words, nothing written', async () => {
    const item = (await list()).find((i) => i.status === 'proposed')!
    const before = await history(item.code)
    let r = await atlas('backlog', 'status', item.code, 'done', '--remark', '跳过')
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${item.code}: 'proposed → done' skips steps: proposed → approved → in_progress → done`)
    r = await atlas('backlog', 'status', item.code, 'finished')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/finished is not a status: the statuses are proposed, approved, in_progress, done and rejected/)
    r = await atlas('backlog', 'status', 'BL-999', 'approved')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/there is no backlog item BL-999/)
    r = await atlas('backlog', 'history', 'BL-999')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/there is no backlog item BL-999/)
    r = await atlas('backlog', 'status', item.code)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/takes an item code and a status/)
    r = await atlas('backlog', 'move', item.code)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/unknown argument "move"/)
    expect(await history(item.code)).toEqual(before)
    expect((await list()).find((i) => i.code === item.code)).toEqual(item)
  })
})
