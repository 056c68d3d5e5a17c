// The leader's report as an A4 PDF in Chinese, with selectable text (Noto Sans SC, subset by
// pdfkit): the title, dates and walk; the map of the communities coloured by an indicator with its
// legend, scale bar and north arrow; the city's indicators; every community's lights; the open
// 三不管 zones; the backlog's plan; the sources. The caller hands in pdfkit's class and the font
// bytes, so the same code runs in Node (`atlas report`) and in the page's worker.
import type { Position } from 'geojson'
import { polylabel } from '../../analysis/polylabel.ts'
import { choropleth, classedBySize, lightColors, lightLabel, lightText, type Choropleth } from '../choropleth.ts'
import type { IndicatorInfo, IndicatorValue, Light } from '../types.ts'
import { boundsOf, mapFrame, padBounds, polygonsOf, scaleBar, type MapFrame } from './mapFrame.ts'
import type { ReportData } from './types.ts'
import { beijingTime, formatArea, formatNumber, formatYuan } from '../../i18n/core.ts'
import { formatValue, levelValue, shortLabel, zoneKindWord, zoneLevelWord } from './words.ts'

export interface PdfTools {
  /** pdfkit's PDFDocument: `import PDFDocument from 'pdfkit'` in Node, its browser build in the page. */
  PDFDocument: PDFKit.PDFDocument
  /** Noto Sans SC Regular and Bold, TTF. */
  regular: Uint8Array
  bold: Uint8Array
}

type Doc = PDFKit.PDFDocument

// A4 portrait, in points.
export const pageSize = { width: 595.28, height: 841.89 }
const margin = { top: 44, bottom: 54, left: 40, right: 40 }
const contentWidth = pageSize.width - margin.left - margin.right
const bottomLimit = pageSize.height - margin.bottom

const ink = '#1f2933'
const muted = '#5f6b7a'
const rule = '#c9d1da'
const headFill = '#eef2f6'
const streetLine = '#34404f'
const zoneMark = '#5b2a86'

/** The title every page's footer and the first page's head carry. */
export const reportTitle = (city: string) => `${city ? `${city} ` : ''}基层治理一张图 领导视图报告`

const chineseNumerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']

export async function renderReportPdf(data: ReportData, tools: PdfTools): Promise<Uint8Array> {
  const title = reportTitle(data.city)
  // No default font: the standard Helvetica is not there in the browser build, and the report
  // writes nothing but Noto Sans SC.
  const options = {
    size: 'A4',
    margins: margin,
    bufferPages: true,
    autoFirstPage: true,
    font: null,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: title, Author: '基层治理一张图', Subject: '领导视图报告', CreationDate: new Date(data.printed_at) },
  } as unknown as PDFKit.PDFDocumentOptions
  const doc: Doc = new tools.PDFDocument(options)
  const chunks: Uint8Array[] = []
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk))
    doc.on('end', () => resolve(concat(chunks)))
    doc.on('error', reject)
  })
  doc.registerFont('regular', tools.regular)
  doc.registerFont('bold', tools.bold)
  const w = new Writer(doc)
  head(w, data, title)
  let section = 0
  const heading = (text: string, keep = 60) => w.heading(`${chineseNumerals[section++]}、${text}`, keep)
  mapSection(w, data, heading)
  summarySection(w, data, heading)
  communitySection(w, data, heading)
  zoneSection(w, data, heading)
  planSection(w, data, heading)
  sourcesSection(w, data)
  footers(w, data, title)
  doc.end()
  return done
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

// ---------------------------------------------------------------- writing on pages

interface TextStyle {
  bold?: boolean
  size?: number
  color?: string
  align?: 'left' | 'center' | 'right'
  lineGap?: number
}

/** A cursor down the pages: text measured before it is written, a new page where it would not fit. */
class Writer {
  y = margin.top
  /** Measured heights: laying out CJK text costs about a millisecond a call, and tables measure each cell twice. */
  private measured = new Map<string, number>()
  constructor(readonly doc: Doc) {}

  style({ bold = false, size = 9, color = ink }: TextStyle) {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(size).fillColor(color)
  }

  // pdfkit measures a line break inside CJK text as a glyph and wraps early: every line is laid
  // out on its own.
  height(text: string, width: number, style: TextStyle = {}): number {
    if (text.includes('\n')) return text.split('\n').reduce((sum, line) => sum + this.height(line, width, style), 0)
    const key = `${style.bold ? 'b' : 'r'}|${style.size ?? 9}|${style.lineGap ?? 1}|${width.toFixed(2)}|${text}`
    let h = this.measured.get(key)
    if (h === undefined) {
      this.style(style)
      h = this.doc.heightOfString(text, { width, lineGap: style.lineGap ?? 1 })
      this.measured.set(key, h)
    }
    return h
  }

  width(text: string, style: TextStyle = {}): number {
    this.style(style)
    return this.doc.widthOfString(text)
  }

  text(text: string, x: number, y: number, width: number, style: TextStyle = {}) {
    if (text.includes('\n')) {
      for (const line of text.split('\n')) {
        this.text(line, x, y, width, style)
        y += this.height(line, width, style)
      }
      return
    }
    this.style(style)
    this.doc.text(text, x, y, { width, lineGap: style.lineGap ?? 1, align: style.align ?? 'left' })
  }

  /** A paragraph at the cursor, across the page. */
  paragraph(text: string, style: TextStyle = {}, after = 4) {
    const h = this.height(text, contentWidth, style)
    this.room(h)
    this.text(text, margin.left, this.y, contentWidth, style)
    this.y += h + after
  }

  newPage() {
    this.doc.addPage()
    this.y = margin.top
  }

  /** Moves to a new page unless `h` points fit; true if it did. */
  room(h: number): boolean {
    if (this.y + h <= bottomLimit) return false
    this.newPage()
    return true
  }

  /** A section's heading, kept with at least `keep` points of what follows. */
  heading(text: string, keep = 60) {
    const h = this.height(text, contentWidth, { bold: true, size: 12 })
    this.room(h + keep)
    if (this.y > margin.top) this.y += 6
    this.doc.rect(margin.left, this.y + 2, 3, h - 4).fill('#2f5d8a')
    this.text(text, margin.left + 8, this.y, contentWidth - 8, { bold: true, size: 12 })
    this.y += h + 5
  }

  dot(x: number, y: number, light: Light, r = 2.6) {
    this.doc.circle(x, y, r).fill(lightColors[light])
    if (light === 'none') this.doc.circle(x, y, r).lineWidth(0.4).stroke('#8a8a8a')
  }
}

// ---------------------------------------------------------------- tables

interface Column {
  title: string
  width: number
  align?: 'left' | 'center' | 'right'
}

/** A cell: text, optionally led by a light's dot. */
type Cell = string | { text: string; light?: Light; muted?: boolean }

interface Row {
  cells: Cell[]
  /** A line in small type under the row, across the table (a zone's reason). */
  note?: string
}

const cellPad = { x: 3, y: 2.6 }
const dotSpace = 8

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text
}

/** A table across the page; its head is repeated on every page it runs onto. */
function table(w: Writer, columns: Column[], rows: Row[], size = 7.5) {
  const x0 = margin.left
  const total = columns.reduce((s, c) => s + c.width, 0)
  const headStyle: TextStyle = { bold: true, size, lineGap: 0.5 }
  const bodyStyle: TextStyle = { size, lineGap: 0.5 }
  const noteStyle: TextStyle = { size: size - 1, color: muted, lineGap: 0.5 }
  const headHeight = Math.max(...columns.map((c) => w.height(c.title, c.width - 2 * cellPad.x, headStyle))) + 2 * cellPad.y
  const drawHead = () => {
    w.doc.rect(x0, w.y, total, headHeight).fill(headFill)
    let x = x0
    for (const c of columns) {
      w.text(c.title, x + cellPad.x, w.y + cellPad.y, c.width - 2 * cellPad.x, { ...headStyle, align: c.align })
      x += c.width
    }
    w.y += headHeight
    w.doc.moveTo(x0, w.y).lineTo(x0 + total, w.y).lineWidth(0.6).stroke(muted)
  }
  const cellWidth = (c: Column, cell: Cell) => c.width - 2 * cellPad.x - (typeof cell !== 'string' && cell.light ? dotSpace : 0)
  // The head goes with the first row, never alone at a page's foot.
  const firstHeight = rows.length ? rowHeight(rows[0]) : 0
  w.room(headHeight + firstHeight)
  drawHead()
  function rowHeight(row: Row): number {
    const body = Math.max(...row.cells.map((cell, i) => w.height(cellText(cell) || ' ', cellWidth(columns[i], cell), bodyStyle)))
    const note = row.note ? w.height(row.note, total - 2 * cellPad.x, noteStyle) : 0
    return body + 2 * cellPad.y + (note ? note + 1 : 0)
  }
  for (const row of rows) {
    const h = rowHeight(row)
    if (w.room(h)) drawHead()
    let x = x0
    row.cells.forEach((cell, i) => {
      const c = columns[i]
      const text = cellText(cell)
      let tx = x + cellPad.x
      if (typeof cell !== 'string' && cell.light) {
        w.dot(tx + 2.8, w.y + cellPad.y + size * 0.62, cell.light)
        tx += dotSpace
      }
      const style = typeof cell !== 'string' && cell.muted ? { ...bodyStyle, color: muted } : bodyStyle
      w.text(text, tx, w.y + cellPad.y, cellWidth(c, cell), { ...style, align: c.align })
      x += c.width
    })
    if (row.note) {
      const bodyH = Math.max(...row.cells.map((cell, i) => w.height(cellText(cell) || ' ', cellWidth(columns[i], cell), bodyStyle)))
      w.text(row.note, x0 + cellPad.x, w.y + cellPad.y + bodyH + 1, total - 2 * cellPad.x, noteStyle)
    }
    w.y += h
    w.doc.moveTo(x0, w.y).lineTo(x0 + total, w.y).lineWidth(0.3).stroke(rule)
  }
}

/** Column widths from shares of the page's width. */
function widths(shares: number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0)
  return shares.map((s) => (s / sum) * contentWidth)
}

// ---------------------------------------------------------------- the sections

function head(w: Writer, data: ReportData, title: string) {
  const { params } = data.indicators
  w.paragraph(title, { bold: true, size: 18 }, 6)
  const kmh = formatNumber('zh', (params.speed_m_per_min * 60) / 1000, 1)
  // two ideographic spaces: the gap between the facts on one line of a Chinese document
  const wide = '\u3000\u3000'
  const lines = [
    `打印时间：${beijingTime(data.printed_at)}（北京时间）${wide}数据时间：${beijingTime(data.indicators.data_timestamp)}${wide}指标计算：${beijingTime(data.indicators.computed_at)}`,
    `步行参数：${formatNumber('zh', params.minutes, 1)} 分钟，步速 ${formatNumber('zh', params.speed_m_per_min, 1)} 米/分钟（约 ${kmh} 千米/小时）${wide}社区 ${data.indicators.communities.length} 个，街道 ${data.indicators.streets.length} 个`,
    ...(data.attribution ? [`数据来源：${data.attribution}`] : []),
  ]
  for (const line of lines) w.paragraph(line, { size: 8.5, color: muted }, 1)
  w.y += 4
  w.doc.moveTo(margin.left, w.y).lineTo(margin.left + contentWidth, w.y).lineWidth(0.8).stroke('#2f5d8a')
  w.y += 8
}

type Heading = (text: string, keep?: number) => void

function infoOf(data: ReportData, key: string): IndicatorInfo {
  const info = data.indicators.catalogue.find((i) => i.key === key)
  if (!info) throw new Error(`the catalogue has no indicator ${key}`)
  return info
}

function mapSection(w: Writer, data: ReportData, heading: Heading) {
  const info = infoOf(data, data.indicator)
  const values = new Map(data.indicators.communities.map((c) => [c.code, c.indicators[info.key]?.value ?? null]))
  const map = choropleth(info, [...values.values()], 'zh')
  heading(`地图：${info.label_zh}`, 400)
  const bounds = boundsOf([...data.communities, ...data.streets].map((u) => u.geometry))
  const maxHeight = Math.min(430, bottomLimit - w.y - 120)
  if (!bounds) {
    w.paragraph('没有社区边界数据，无法绘制地图。', { color: muted })
    return
  }
  const frame = mapFrame(padBounds(bounds, 0.03), margin.left, w.y, contentWidth, maxHeight)
  drawMap(w, data, frame, map, values)
  w.y = frame.box.y + frame.box.height + 8
  legend(w, info, map)
  const zones = data.zones.filter((z) => z.label).length
  const notes = [
    `指标依据：${info.source}`,
    `${info.label_zh}的标准：${info.standard_zh}。社区按数值分级着色，绿色为达标一侧，黄、橙、红为未达标一侧，离标准越远颜色越深；灰色为缺少数据（见各指标所需数据）。粗线为街道边界。${
      zones ? `紫色编号为未认定归属的三不管区域（见第四节）。` : ''
    }`,
  ]
  for (const note of notes) w.paragraph(note, { size: 7.5, color: muted }, 2)
}

function pathOf(doc: Doc, frame: MapFrame, rings: Position[][]) {
  for (const ring of rings) {
    ring.forEach((position, i) => {
      const [x, y] = frame.project(position)
      if (i === 0) doc.moveTo(x, y)
      else doc.lineTo(x, y)
    })
    doc.closePath()
  }
}

function drawMap(w: Writer, data: ReportData, frame: MapFrame, map: Choropleth, values: Map<string, number | null>) {
  const { doc } = w
  const { box } = frame
  doc.save()
  doc.rect(box.x, box.y, box.width, box.height).fill('#f6f3ec')
  doc.rect(box.x, box.y, box.width, box.height).clip()
  // the communities, filled by their class
  for (const unit of data.communities) {
    for (const polygon of polygonsOf(unit.geometry)) {
      pathOf(doc, frame, polygon)
      doc.fillColor(map.colorOf(values.get(unit.code) ?? null)).fill('even-odd')
    }
  }
  // their borders, thin and white; the street offices' over them, dark
  for (const unit of data.communities) for (const polygon of polygonsOf(unit.geometry)) pathOf(doc, frame, polygon)
  doc.lineWidth(0.5).lineJoin('round').strokeColor('#ffffff').stroke()
  for (const unit of data.streets) for (const polygon of polygonsOf(unit.geometry)) pathOf(doc, frame, polygon)
  doc.lineWidth(1.3).strokeColor(streetLine).stroke()
  // community names at their poles of inaccessibility, where they fit and do not collide (the
  // roomiest polygons first)
  const size = 5.5
  const labels = data.communities
    .map((unit) => {
      const polygons = polygonsOf(unit.geometry)
      if (!polygons.length) return null
      const largest = polygons.reduce((a, b) => (ringArea(b[0]) > ringArea(a[0]) ? b : a))
      const label = polylabel(largest)
      return { name: unit.name, point: label.point, radius: label.radiusM * frame.pointsPerMetre }
    })
    .filter((label) => label !== null)
    .sort((a, b) => b.radius - a.radius)
  const taken: { x0: number; y0: number; x1: number; y1: number }[] = []
  for (const { name, point, radius } of labels) {
    const width = w.width(name, { size })
    if (radius < size * 0.9 || width > radius * 2 + 24) continue
    const [x, y] = frame.project(point)
    const rect = { x0: x - width / 2 - 2, y0: y - size * 0.8, x1: x + width / 2 + 2, y1: y + size * 0.8 }
    if (taken.some((r) => r.x0 < rect.x1 && rect.x0 < r.x1 && r.y0 < rect.y1 && rect.y0 < r.y1)) continue
    taken.push(rect)
    doc.save()
    doc.roundedRect(x - width / 2 - 1.2, y - size * 0.7, width + 2.4, size * 1.4, 1.5).fillOpacity(0.72).fill('#ffffff')
    doc.restore()
    w.text(name, x - width / 2 - 2, y - size * 0.62, width + 4, { size, color: ink, align: 'center', lineGap: 0 })
  }
  // the open 三不管 zones, numbered as in their table; markers at one place step aside
  const placed: [number, number][] = []
  data.zones.forEach((zone, i) => {
    if (!zone.label) return
    const [projectedX, y] = frame.project(zone.label)
    let x = projectedX
    while (placed.some(([px, py]) => Math.hypot(px - x, py - y) < 9)) x += 10
    placed.push([x, y])
    doc.circle(x, y, 5).lineWidth(0.8).fillAndStroke(zoneMark, '#ffffff')
    w.text(String(i + 1), x - 6, y - 3.4, 12, { bold: true, size: 5.5, color: '#ffffff', align: 'center', lineGap: 0 })
  })
  doc.restore()
  doc.rect(box.x, box.y, box.width, box.height).lineWidth(0.6).stroke(muted)
  northArrow(w, box.x + box.width - 22, box.y + 10)
  drawScaleBar(w, frame, box.x + 10, box.y + box.height - 12)
}

function ringArea(ring: Position[] | undefined): number {
  if (!ring) return 0
  let a = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1])
  return Math.abs(a / 2)
}

function northArrow(w: Writer, x: number, y: number) {
  const { doc } = w
  doc.save()
  doc.roundedRect(x - 9, y - 3, 18, 30, 2).fillOpacity(0.8).fill('#ffffff')
  doc.restore()
  doc.moveTo(x, y).lineTo(x + 5, y + 14).lineTo(x, y + 11).closePath().fill(ink)
  doc.moveTo(x, y).lineTo(x - 5, y + 14).lineTo(x, y + 11).closePath().lineWidth(0.6).fillAndStroke('#ffffff', ink)
  w.text('北', x - 6, y + 15, 12, { bold: true, size: 7, align: 'center', lineGap: 0 })
}

function drawScaleBar(w: Writer, frame: MapFrame, x: number, baseline: number) {
  const { doc } = w
  const bar = scaleBar(frame.pointsPerMetre, frame.box.width / 4)
  const half = bar.width / 2
  const labels = ['0', formatNumber('zh', bar.metres / 2, 0), `${formatNumber('zh', bar.metres, 0)} 米`]
  const lastWidth = w.width(labels[2], { size: 6.5 })
  doc.save()
  doc.rect(x - 4, baseline - 14, bar.width + lastWidth / 2 + 10, 20).fillOpacity(0.85).fill('#ffffff')
  doc.restore()
  doc.rect(x, baseline - 3, half, 3).fill(ink)
  doc.rect(x + half, baseline - 3, half, 3).lineWidth(0.6).fillAndStroke('#ffffff', ink)
  doc.rect(x, baseline - 3, bar.width, 3).lineWidth(0.6).stroke(ink)
  labels.forEach((label, i) => {
    const at = x + (bar.width * i) / 2
    const lw = w.width(label, { size: 6.5 })
    w.text(label, at - lw / 2 - 1, baseline - 12.5, lw + 2, { size: 6.5, align: 'center', lineGap: 0 })
  })
}

/** The classes in a row, the standard marked at its break, no data last. */
function legend(w: Writer, info: IndicatorInfo, map: Choropleth) {
  const swatch = { width: Math.min(62, (contentWidth - 110) / (map.classes.length + 1)), height: 10 }
  const top = w.y + 14
  w.room(48)
  const x0 = margin.left + 2
  w.text(`图例（${info.unit}）`, x0, top - 12, 90, { bold: true, size: 7.5 })
  const left = margin.left + 66
  map.classes.forEach((c, i) => {
    const x = left + i * swatch.width
    w.doc.rect(x, top, swatch.width, swatch.height).fill(c.color)
    w.text(c.label, x, top + swatch.height + 2, swatch.width, { size: 6.5, align: 'center', lineGap: 0 })
  })
  const noDataX = left + map.classes.length * swatch.width + 10
  w.doc.rect(noDataX, top, swatch.width * 0.7, swatch.height).fill(map.noData)
  w.text('缺少数据', noDataX - 4, top + swatch.height + 2, swatch.width * 0.7 + 8, { size: 6.5, align: 'center', lineGap: 0 })
  if (map.standard) {
    const at = map.classes.findIndex((c) => c.from === map.standard!.value)
    if (at > 0) {
      const x = left + at * swatch.width
      w.doc.rect(x - 1, top - 4, 2, swatch.height + 8).fill(ink)
      w.doc.moveTo(x - 4, top - 10).lineTo(x + 4, top - 10).lineTo(x, top - 5).closePath().fill(ink)
      const value = classedBySize.has(info.key) ? `±${formatValue(map.standard.value, info.unit, 'zh')}` : formatValue(map.standard.value, info.unit, 'zh')
      const text = `达标线 ${value}`
      const tw = w.width(text, { bold: true, size: 7 })
      w.text(text, x + 6, top - 15, tw + 4, { bold: true, size: 7, lineGap: 0 })
    }
  }
  w.y = top + swatch.height + 14
}

function lightWord(info: IndicatorInfo, entry: IndicatorValue | undefined): Cell {
  const light = entry?.light ?? 'none'
  return { text: lightText(info, entry, 'zh'), light }
}

function summarySection(w: Writer, data: ReportData, heading: Heading) {
  heading(`全市指标：${data.city}`)
  const [a, b, c, d, e] = widths([21, 11, 23, 9, 36])
  const columns: Column[] = [
    { title: '指标', width: a },
    { title: '数值', width: b, align: 'right' },
    { title: '标准', width: c },
    { title: '判定', width: d },
    { title: '依据', width: e },
  ]
  // a per-type coverage sits under its basic indicator, one ideographic space in
  const indent = '\u3000'
  const rows: Row[] = data.indicators.catalogue.map((info) => {
    const entry = data.indicators.city.indicators[info.key]
    return {
      cells: [
        info.facility_type ? `${indent}${info.label_zh}` : info.label_zh,
        levelValue(info, 'city', entry, 'zh'),
        info.standard_zh,
        lightWord(info, entry),
        { text: info.source, muted: true },
      ],
    }
  })
  table(w, columns, rows)
  w.y += 3
  w.paragraph('全市的数值合计各社区的数据；服务用房面积一项，全市数值为不足 300 m² 的社区数。各指标的计算与判定规则见系统中的指标说明。', { size: 7, color: muted })
}

/** The catalogue's base indicators, without the per-type coverage. */
const baseIndicators = (data: ReportData) => data.indicators.catalogue.filter((info) => !info.facility_type)

function communitySection(w: Writer, data: ReportData, heading: Heading) {
  heading(`社区指标（${data.indicators.communities.length} 个社区）`)
  const bases = baseIndicators(data)
  const streetName = new Map(data.indicators.streets.map((s) => [s.code, s.name]))
  const nameWidth = 54
  const streetWidth = 46
  const each = (contentWidth - nameWidth - streetWidth) / bases.length
  const columns: Column[] = [
    { title: '社区', width: nameWidth },
    { title: '街道', width: streetWidth },
    ...bases.map((info) => ({ title: `${shortLabel(info, 'zh')}\n${info.unit}`, width: each })),
  ]
  const rows: Row[] = data.indicators.communities.map((community) => ({
    cells: [
      community.name,
      streetName.get(community.street_code ?? '') ?? community.street_code ?? '',
      ...bases.map((info): Cell => {
        const entry = community.indicators[info.key]
        return { text: entry?.value === null || entry?.value === undefined ? '—' : formatNumber('zh', Number(entry.value), 1), light: entry?.light ?? 'none' }
      }),
    ],
  }))
  table(w, columns, rows, 7)
  w.y += 4
  lightKey(w)
}

/** What the dots mean, in a line. */
function lightKey(w: Writer) {
  w.room(14)
  let x = margin.left
  for (const light of ['green', 'amber', 'red', 'none'] as Light[]) {
    w.dot(x + 3, w.y + 5, light, 3)
    const word = lightLabel(light, 'zh')
    const ww = w.width(word, { size: 7.5 })
    w.text(word, x + 9, w.y, ww + 4, { size: 7.5, lineGap: 0 })
    x += ww + 24
  }
  w.y += 14
}

function zoneSection(w: Writer, data: ReportData, heading: Heading) {
  const zones = data.zones
  const open = data.indicators.city.indicators.zones_open
  const land = open?.parts?.open_m2
  heading(`未认定归属的三不管区域（${zones.length} 处${land ? `，土地合计 ${formatArea('zh', Number(land))}` : ''}）`)
  // declared co-managed land is no zone: said apart, not counted
  const declared = Number(open?.parts?.declared ?? 0)
  if (declared > 0) w.paragraph(`另有已声明的共管区域 ${declared} 处（共有土地 ${formatArea('zh', Number(open?.parts?.declared_m2 ?? 0))}），按约定管理，不计入三不管。`, { size: 8.5, color: muted }, 2)
  if (!zones.length) {
    w.paragraph('没有未认定归属的三不管区域。', { size: 8.5 })
    return
  }
  const [a, b, c, d, e, f] = widths([6, 15, 15, 34, 11, 19])
  const columns: Column[] = [
    { title: '编号', width: a, align: 'center' },
    { title: '类型', width: b },
    { title: '层级', width: c },
    { title: '位置', width: d },
    { title: '面积', width: e, align: 'right' },
    { title: '建议归属', width: f },
  ]
  const rows: Row[] = zones.map((zone, i) => ({
    cells: [
      String(i + 1),
      zoneKindWord(zone.kind, 'zh'),
      zoneLevelWord(zone.level, 'zh'),
      zone.where || '—',
      formatArea('zh', zone.area_m2),
      zone.suggested_owner ? (zone.suggested_owner.name ?? zone.suggested_owner.code) : '—',
    ],
    note: zone.reason_zh ? `理由：${zone.reason_zh}` : undefined,
  }))
  table(w, columns, rows)
  w.y += 3
  w.paragraph('同一块土地可能在两个层级上都是缺口（如社区之间与管理区域之间），表中分列；合计面积只算一次。', { size: 7, color: muted })
}

function planSection(w: Writer, data: ReportData, heading: Heading) {
  const plan = data.plan
  heading(`基础设施欠账计划（预算 ${formatYuan('zh', plan.budget_yuan)}）`)
  if (!plan.items) {
    w.paragraph('欠账清单中没有项目。', { size: 8.5 })
    return
  }
  if (plan.status === 'infeasible') {
    w.paragraph(
      `预算 ${formatYuan('zh', plan.budget_yuan)} 低于已批准项目的费用 ${formatYuan('zh', plan.approved_cost_yuan)}（已批准项目必须保留），没有可行的计划。`,
      { size: 8.5 },
    )
    return
  }
  const proof = plan.status === 'optimal' ? '经 HiGHS 求解证明为最优' : '求解达到时间上限，未证明最优'
  w.paragraph(
    `在 ${plan.candidates} 个候选项目（已提议与已批准，共 ${plan.items} 项）中选出 ${plan.funded.length} 项，费用 ${formatYuan('zh', plan.total_cost_yuan)}，总得分 ${plan.total_score.toFixed(2)} 分，${proof}。` +
      `按得分排序、到预算线截断的做法选出 ${plan.rank_and_cut.items} 项，得分 ${plan.rank_and_cut.total_score.toFixed(2)} 分（费用 ${formatYuan('zh', plan.rank_and_cut.total_cost_yuan)}）；本计划多得 ${plan.gain.toFixed(2)} 分。`,
    { size: 8.5, lineGap: 2 },
    5,
  )
  if (!plan.funded.length) return
  const [a, b, c, d, e, f] = widths([10, 36, 8, 16, 15, 9])
  const columns: Column[] = [
    { title: '编号', width: a },
    { title: '名称', width: b },
    { title: '类别', width: c },
    { title: '社区', width: d },
    { title: '费用', width: e, align: 'right' },
    { title: '得分', width: f, align: 'right' },
  ]
  const rows: Row[] = plan.funded.map((item) => ({
    cells: [item.code, item.name, item.category, item.community, formatYuan('zh', item.cost_yuan), item.score.toFixed(2)],
  }))
  rows.push({ cells: ['合计', `${plan.funded.length} 项`, '', '', formatYuan('zh', plan.total_cost_yuan), plan.total_score.toFixed(2)] })
  table(w, columns, rows)
}

function sourcesSection(w: Writer, data: ReportData) {
  const titles = [...new Set(data.indicators.catalogue.map((info) => info.source).filter(Boolean))]
  w.heading('依据', 40)
  titles.forEach((title, i) => w.paragraph(`${i + 1}. ${title}`, { size: 8.5 }, 2))
}

function footers(w: Writer, data: ReportData, title: string) {
  const { doc } = w
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    // Written below the bottom margin: lift it, or pdfkit would start a new page.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = pageSize.height - 32
    doc.moveTo(margin.left, y - 5).lineTo(margin.left + contentWidth, y - 5).lineWidth(0.4).stroke(rule)
    w.text(title, margin.left, y, contentWidth / 2, { size: 7, color: muted, lineGap: 0 })
    w.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, margin.left + contentWidth / 2, y, contentWidth / 2, { size: 7, color: muted, align: 'right', lineGap: 0 })
    w.text(`数据时间 ${beijingTime(data.indicators.data_timestamp)}`, margin.left + contentWidth / 4, y, contentWidth / 2, { size: 7, color: muted, align: 'center', lineGap: 0 })
    doc.page.margins.bottom = bottom
  }
}
