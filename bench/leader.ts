// The leader's view on PGlite + PostGIS, on a fresh copy of the sample city.
// - report_indicators: public.indicators() as the leader, cold (after a unit's write moves every
//   data version, so it asks coverage() and zone_summary() again and keeps its answer), after a
//   write that touches neither circles nor zones (a backlog status, a standard: the kept coverage()
//   and zone_summary() answers serve), and cached. The rival is what the page would
//   call without it: coverage(), zone_summary() and the backlog's items by status
//   (backlog_scores()), one after another; ratio = their time ÷ ours. The answers are checked
//   against each other: a fast wrong answer fails the run.
// - report_pdf: the whole `atlas report --pdf` from the command line (a child process, wall
//   time). The rival is the same report laid out as an HTML page and printed to PDF by Chromium
//   (playwright-core, /usr/bin/chromium), also a child process from the same database: the data
//   gathered the same way, an SVG map with the same classes, the same tables, the same font.
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { connect } from '../src/db/connect.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { loadSample } from '../src/db/sample.ts'
import { asCaller, userClaims } from '../src/db/session.ts'
import type { Indicators } from '../src/leader/types.ts'
import { compare, median, round, type BenchResult } from './harness.ts'

const log = (message: string) => console.error(`[bench leader] ${message}`)
const projectRoot = path.resolve(import.meta.dirname, '..')
const leader = userClaims('leader', 'bench')

/** The sample city in a fresh folder (loaded through the importer, as `atlas load-sample` does). */
async function sampleDatabase(): Promise<string> {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-leader-')), 'db')
  const loading = await connect(dir, 'bench')
  await loadSample(loading.db)
  await loading.close()
  return dir
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await work()
  return { ms: performance.now() - t0, value }
}

// ---------------------------------------------------------------- report_indicators

/** public.indicators() as the page calls it (not read-only: it keeps its answer). */
const indicators = (db: Database) => asCaller(db, leader, async (tx) => (await tx.query<{ r: Indicators }>('select public.indicators() as r')).rows[0].r)

interface Rival {
  coverage: { city: Record<string, { households_covered: number; households_not_covered: number }> }
  zones: { city: { open: number; open_m2: number } }
  byStatus: Record<string, { items: number; cost: number }>
}

/** The same figures the way the page would fetch them without indicators(): three calls, one by one. */
async function rival(db: Database): Promise<Rival> {
  const one = async <T>(sql: string) => asCaller(db, leader, async (tx) => (await tx.query<{ r: T }>(sql)).rows[0].r, true)
  const coverage = await one<Rival['coverage']>('select public.coverage() as r')
  const zones = await one<Rival['zones']>('select public.zone_summary() as r')
  const scores = await one<{ items: { status: string; cost_yuan: number }[] }>('select public.backlog_scores() as r')
  const byStatus: Rival['byStatus'] = {}
  for (const item of scores.items) {
    const s = (byStatus[item.status] ??= { items: 0, cost: 0 })
    s.items++
    s.cost += Number(item.cost_yuan)
  }
  return { coverage, zones, byStatus }
}

/** The indicators and the rival's figures agree, or the run fails. */
function check(ours: Indicators, theirs: Rival): void {
  const problems: string[] = []
  const city = ours.city.indicators
  const basic = theirs.coverage.city.basic
  if (city.coverage_households.parts.covered !== basic.households_covered) problems.push(`households covered ${city.coverage_households.parts.covered} ≠ coverage()'s ${basic.households_covered}`)
  if (city.coverage_households.parts.total !== basic.households_covered + basic.households_not_covered) problems.push('households in all ≠ coverage()')
  if (city.zones_open.value !== theirs.zones.city.open) problems.push(`open zones ${city.zones_open.value} ≠ zone_summary()'s ${theirs.zones.city.open}`)
  if (Math.abs(Number(city.zones_open.parts.open_m2) - theirs.zones.city.open_m2) > 1) problems.push(`open land ${city.zones_open.parts.open_m2} ≠ ${theirs.zones.city.open_m2}`)
  for (const [status, part] of [['done', 'done'], ['in_progress', 'in_progress'], ['approved', 'approved'], ['proposed', 'unfunded']]) {
    const want = theirs.byStatus[status] ?? { items: 0, cost: 0 }
    if (city.backlog_funded.parts[`${part}_items`] !== want.items) problems.push(`${status} items ${city.backlog_funded.parts[`${part}_items`]} ≠ ${want.items}`)
    if (city.backlog_funded.parts[`${part}_cost`] !== want.cost) problems.push(`${status} cost ${city.backlog_funded.parts[`${part}_cost`]} ≠ ${want.cost}`)
  }
  if (problems.length) throw new Error(`indicators() disagrees with the functions it is made of: ${problems.join('; ')}`)
}

async function reportIndicators(dir: string, n: number): Promise<BenchResult[]> {
  const db = await openDatabase(dir)
  try {
    // Writes that change nothing but move the data versions: a unit's moves all of them (the next
    // call computes everything afresh); a standard's only the indicators' own.
    const bump = () => db.exec(`update atlas.community set households = households where code = (select min(code) from atlas.community)`)
    const bumpOther = () => db.exec(`update atlas.standard set value_min = value_min where key = 'grid_households'`)
    const first = await timed(() => indicators(db))
    log(`indicators() first call after opening: ${round(first.ms)} ms`)
    const theirs = await rival(db) // warms the rival's functions as the first call warmed ours
    check(first.value, theirs)
    const cold: number[] = []
    const other: number[] = []
    const cached: number[] = []
    const rivals: number[] = []
    for (let i = 0; i < n; i++) {
      await bump()
      const c = await timed(() => indicators(db))
      if (c.value.data_timestamp === first.value.data_timestamp) throw new Error('the write did not move the data timestamp: not a cold call')
      check(c.value, theirs)
      cold.push(c.ms)
      cached.push((await timed(() => indicators(db))).ms)
      await bumpOther()
      const o = await timed(() => indicators(db))
      if (o.value.data_timestamp === c.value.data_timestamp) throw new Error('the write did not move the data timestamp')
      check(o.value, theirs)
      other.push(o.ms)
      rivals.push((await timed(() => rival(db))).ms)
    }
    log(`indicators() cold ${cold.map((t) => round(t)).join(', ')} ms; after a write to neither circles nor zones ${other.map((t) => round(t)).join(', ')} ms; cached ${cached.map((t) => round(t, 2)).join(', ')} ms; rival ${rivals.map((t) => round(t)).join(', ')} ms`)
    const baseline = 'coverage() + zone_summary() + backlog_scores() by status, one by one, as the leader (the page without indicators())'
    return [compare('report_indicators', median(cold), median(rivals), `${baseline}; ours cold: after a unit's write moved every data version`, n),
      compare('report_indicators_after_other_write', median(other), median(rivals), `${baseline}; ours after a write to neither circles nor zones (kept coverage() and zone_summary() answers)`, n),
      compare('report_indicators_cached', median(cached), median(rivals), `${baseline}; ours cached: the data unchanged since the last call`, n)]
  } finally {
    await db.close()
  }
}

// ---------------------------------------------------------------- report_pdf

function run(args: string[]): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, out }) : reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`))))
  })
}

const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])

/** The report's text must come back from the PDF, whoever made it. */
function checkPdf(file: string, names: string[]): void {
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
  const missing = ['基层治理一张图', '三不管', '《榆林市城市社区治理研究报告》', ...names].filter((s) => !text.includes(s))
  if (missing.length) throw new Error(`${file} lacks ${missing.join(', ')}`)
}

async function reportPdf(dir: string, n: number, names: string[]): Promise<BenchResult[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-report-'))
  const ours = (i: number) => run(['src/cli/atlas.mjs', '--db', dir, 'report', '--pdf', path.join(out, `ours-${i}.pdf`)])
  const theirs = (i: number) => run(['--import', 'tsx', 'bench/leader.ts', '--print-html-report', dir, path.join(out, `chromium-${i}.pdf`)])
  const times = { ours: [] as number[], theirs: [] as number[] }
  for (let i = 0; i < n; i++) {
    times.ours.push((await ours(i)).ms)
    times.theirs.push((await theirs(i)).ms)
  }
  checkPdf(path.join(out, 'ours-0.pdf'), names)
  checkPdf(path.join(out, 'chromium-0.pdf'), names)
  const size = (f: string) => round(fs.statSync(path.join(out, f)).size / 1024)
  log(`atlas report --pdf ${times.ours.map((t) => round(t)).join(', ')} ms (${pdfPages(path.join(out, 'ours-0.pdf'))} pages, ${size('ours-0.pdf')} kB); ` +
    `Chromium's print ${times.theirs.map((t) => round(t)).join(', ')} ms (${pdfPages(path.join(out, 'chromium-0.pdf'))} pages, ${size('chromium-0.pdf')} kB)`)
  fs.rmSync(out, { recursive: true, force: true })
  return [compare('report_pdf', median(times.ours), median(times.theirs),
    'the same report as an HTML page (SVG map, same classes, tables, Noto Sans SC) printed to A4 PDF by Chromium via playwright-core, from the same database, a child process too', n)]
}

// ---------------------------------------------------------------- the rival: HTML printed by Chromium

const esc = (s: string | number | null | undefined) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

async function printHtmlReport(dir: string, file: string): Promise<void> {
  const [{ apiCall, fontFiles }, { gatherReport }, { choropleth, lightColors, lightLabel }, words, core, frames, { reportTitle }, { chromium }] = await Promise.all([
    import('../src/cli/commands/report.ts'),
    import('../src/leader/report/gather.ts'),
    import('../src/leader/choropleth.ts'),
    import('../src/leader/report/words.ts'),
    import('../src/i18n/core.ts'),
    import('../src/leader/report/mapFrame.ts'),
    import('../src/leader/report/pdf.ts'),
    import('playwright-core'),
  ])
  const connection = await connect(dir, 'bench')
  const data = await asCaller(connection.db, leader, (tx) => gatherReport(apiCall(tx), {}))
  await connection.close()
  const ind = data.indicators
  const info = ind.catalogue.find((i) => i.key === data.indicator)!
  const map = choropleth(info, ind.communities.map((c) => c.indicators[info.key]?.value ?? null), 'zh')
  const bounds = frames.padBounds(frames.boundsOf([...data.communities, ...data.streets].map((u) => u.geometry))!, 0.03)
  const frame = frames.mapFrame(bounds, 0, 0, 515, 430)
  const svgPath = (geometry: Parameters<typeof frames.polygonsOf>[0]) =>
    frames.polygonsOf(geometry).flatMap((polygon) => polygon.map((ring) => `M${ring.map((p) => frame.project(p).map((v) => v.toFixed(1)).join(',')).join('L')}Z`)).join('')
  const value = new Map(ind.communities.map((c) => [c.code, c.indicators[info.key]?.value ?? null]))
  const dot = (light: keyof typeof lightColors) => `<span class="dot" style="background:${lightColors[light]}"></span>${lightLabel(light, 'zh')}`
  const bar = frames.scaleBar(frame.pointsPerMetre, 515 / 4)
  const streetName = new Map(ind.streets.map((s) => [s.code, s.name]))
  const bases = ind.catalogue.filter((i) => !i.facility_type)
  const fonts = fontFiles()
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
    @font-face { font-family: Report; src: url('${pathToFileURL(fonts.regular).href}'); font-weight: 400 }
    @font-face { font-family: Report; src: url('${pathToFileURL(fonts.bold).href}'); font-weight: 700 }
    @page { size: A4; margin: 44pt 40pt 54pt }
    body { font-family: Report; font-size: 8pt; color: #1f2933 } h1 { font-size: 18pt } h2 { font-size: 12pt; border-left: 3pt solid #2f5d8a; padding-left: 5pt }
    table { border-collapse: collapse; width: 100% } thead { display: table-header-group } th { background: #eef2f6; text-align: left }
    td, th { border-bottom: 0.3pt solid #c9d1da; padding: 2pt 3pt; vertical-align: top } .dot { display: inline-block; width: 5pt; height: 5pt; border-radius: 50%; margin-right: 2pt }
    .muted { color: #5f6b7a } svg { width: 515pt; height: ${frame.box.height}pt; background: #f6f3ec; border: 0.6pt solid #5f6b7a }
  </style></head><body>
  <h1>${esc(reportTitle(data.city))}</h1>
  <p class="muted">打印时间：${core.beijingTime(data.printed_at)}（北京时间） 数据时间：${core.beijingTime(ind.data_timestamp)} 步行参数：${ind.params.minutes} 分钟，步速 ${ind.params.speed_m_per_min} 米/分钟</p>
  <h2>一、地图：${esc(info.label_zh)}</h2>
  <svg viewBox="0 0 515 ${frame.box.height}">
    ${data.communities.map((c) => `<path d="${svgPath(c.geometry)}" fill="${map.colorOf(value.get(c.code) ?? null)}" fill-rule="evenodd" stroke="#fff" stroke-width="0.5"/>`).join('')}
    ${data.streets.map((s) => `<path d="${svgPath(s.geometry)}" fill="none" stroke="#34404f" stroke-width="1.3"/>`).join('')}
    <rect x="10" y="${frame.box.height - 15}" width="${bar.width}" height="3" fill="#1f2933"/><text x="10" y="${frame.box.height - 18}" font-size="6.5">0 – ${bar.metres} 米</text>
    <text x="495" y="25" font-size="7" font-weight="700">北 ↑</text>
  </svg>
  <p>${map.classes.map((c) => `<span class="dot" style="background:${c.color};border-radius:0;width:20pt"></span>${esc(c.label)}`).join(' ')} <span class="dot" style="background:${map.noData}"></span>无数据 达标线 ${map.standard?.value ?? '—'}</p>
  <p class="muted">指标依据：${esc(info.source)}</p>
  <h2>二、全市指标</h2><table><thead><tr><th>指标</th><th>数值</th><th>标准</th><th>判定</th><th>依据</th></tr></thead><tbody>
  ${ind.catalogue.map((i) => `<tr><td>${esc(i.label_zh)}</td><td>${esc(words.levelValue(i, 'city', ind.city.indicators[i.key], 'zh'))}</td><td>${esc(i.standard_zh)}</td><td>${dot(ind.city.indicators[i.key]?.light ?? 'none')}</td><td class="muted">${esc(i.source)}</td></tr>`).join('')}
  </tbody></table>
  <h2>三、社区指标</h2><table><thead><tr><th>社区</th><th>街道</th>${bases.map((i) => `<th>${esc(words.shortLabel(i, 'zh'))}<br>${esc(i.unit)}</th>`).join('')}</tr></thead><tbody>
  ${ind.communities.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(streetName.get(c.street_code ?? ''))}</td>${bases.map((i) => `<td><span class="dot" style="background:${lightColors[c.indicators[i.key]?.light ?? 'none']}"></span>${c.indicators[i.key]?.value ?? '—'}</td>`).join('')}</tr>`).join('')}
  </tbody></table>
  <h2>四、未认定归属的三不管区域</h2><table><thead><tr><th>编号</th><th>类型</th><th>位置</th><th>面积</th><th>建议归属</th></tr></thead><tbody>
  ${data.zones.map((z, k) => `<tr><td>${k + 1}</td><td>${esc(words.zoneKindWord(z.kind, 'zh'))}</td><td>${esc(z.where)}</td><td>${esc(core.formatArea('zh', z.area_m2))}</td><td>${esc(z.suggested_owner?.name)}</td></tr>`).join('')}
  </tbody></table>
  <h2>五、基础设施欠账计划（预算 ${esc(core.formatYuan('zh', data.plan.budget_yuan))}）</h2><table><thead><tr><th>编号</th><th>名称</th><th>类别</th><th>社区</th><th>费用</th></tr></thead><tbody>
  ${data.plan.funded.map((p) => `<tr><td>${esc(p.code)}</td><td>${esc(p.name)}</td><td>${esc(p.category)}</td><td>${esc(p.community)}</td><td>${esc(core.formatYuan('zh', p.cost_yuan))}</td></tr>`).join('')}
  </tbody></table>
  <h2>依据</h2>${[...new Set(ind.catalogue.map((i) => i.source))].map((s, k) => `<p>${k + 1}. ${esc(s)}</p>`).join('')}
  </body></html>`
  const page = `${file}.html`
  fs.writeFileSync(page, html)
  const browser = await chromium.launch({ executablePath: process.env.ATLAS_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--allow-file-access-from-files'] })
  try {
    const tab = await browser.newPage()
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' })
    await tab.evaluate('document.fonts.ready')
    await tab.pdf({
      path: file,
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: '<div style="font-size:7pt;width:100%;text-align:right;margin-right:40pt">第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>',
    })
  } finally {
    await browser.close()
    fs.rmSync(page, { force: true })
  }
}

// ---------------------------------------------------------------- the suite

export async function runLeaderBenchmarks(n = 5, pdfRuns = 3): Promise<BenchResult[]> {
  log('loading the sample city into a fresh database …')
  const dir = await sampleDatabase()
  try {
    const results = await reportIndicators(dir, n)
    const db = await openDatabase(dir)
    const names = await asCaller(db, leader, async (tx) => (await tx.query<{ name: string }>('select name from atlas.community order by code')).rows.map((r) => r.name), true)
    await db.close()
    results.push(...(await reportPdf(dir, pdfRuns, names)))
    return results
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true })
  }
}

// The rival's child process: `node --import tsx bench/leader.ts --print-html-report <db> <file.pdf>`.
if (process.argv[2] === '--print-html-report' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await printHtmlReport(process.argv[3], process.argv[4])
}
