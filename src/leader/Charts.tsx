// The dashboard's charts, drawn by Apache ECharts (only the parts used, so the chunk stays small;
// the page loads this module lazily, when the leader's view first opens): the chosen indicator per
// community as sorted bars coloured by their light, with the standard as a dashed line; and the
// backlog's cost per street office, stacked by status.
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useEffectEvent, useMemo, useRef } from 'react'
import { formatNumber, formatYuan, moneyScale, moneyUnit } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { lightColors, lightLabel, niceStep } from './choropleth.ts'
import { formatValue, labelOf } from './report/words.ts'
import type { IndicatorInfo, Light, UnitIndicators } from './types.ts'

echarts.use([BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer])

/** The page's own typeface, so the charts' Chinese matches the panel's. */
const fontFamily = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif"
/** The backlog's statuses, from spent to still owed: green to grey. */
const statusColours = { done: '#2f8f4a', in_progress: '#3b78b0', approved: '#f2b33d', unfunded: '#b8bec6' } as const
type CostStatus = keyof typeof statusColours
const costStatuses = Object.keys(statusColours) as CostStatus[]

/** One chart on a div of its own, disposed with it; `option` is applied whole at each change. */
function useChart(option: echarts.EChartsCoreOption, onClick?: (name: string, data: unknown) => void) {
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const clicked = useEffectEvent((name: string, data: unknown) => onClick?.(name, data))
  useEffect(() => {
    if (!element.current) return
    const instance = echarts.init(element.current, null, { renderer: 'svg' })
    instance.on('click', (event) => clicked(String(event.name), event.data))
    chart.current = instance
    const resize = new ResizeObserver(() => instance.resize())
    resize.observe(element.current)
    return () => {
      resize.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true })
  }, [option])
  return element
}

export interface ChartsProps {
  info: IndicatorInfo
  communities: readonly UnitIndicators[]
  streets: readonly UnitIndicators[]
  /** The value the map's classes turn green at. */
  standard: number | null
  selected: string | null
  onChoose: (code: string) => void
}

interface Bar {
  value: number
  code: string
  light: Light
}

/** Where the value axis ends: ECharts' own choice, unless the standard lies beyond every bar. */
function axisMax(bars: readonly { value: number }[], standard: number | null): number | undefined {
  const top = Math.max(0, ...bars.map((b) => b.value))
  if (standard === null || standard <= top) return undefined
  const step = niceStep(standard / 5)
  return Math.ceil((standard * 1.04) / step) * step
}

export default function Charts({ info, communities, streets, standard, selected, onChoose }: ChartsProps) {
  const { t, lang } = useI18n()

  const bars = useMemo(() => {
    const known: (Bar & { name: string })[] = []
    for (const unit of communities) {
      const figure = unit.indicators[info.key]
      if (figure?.value === null || figure?.value === undefined) continue
      known.push({ name: unit.name, value: Number(figure.value), code: unit.code, light: figure.light })
    }
    // best at the bottom, worst at the top (the axis runs upwards)
    const better = info.direction === 'max' ? -1 : 1
    known.sort((a, b) => (b.value - a.value) * better || b.code.localeCompare(a.code))
    return { known, missing: communities.length - known.length }
  }, [communities, info])

  const indicatorOption = useMemo<echarts.EChartsCoreOption>(
    () => ({
      animation: false,
      textStyle: { fontFamily },
      // room above for the standard's label
      grid: { left: 4, right: 34, top: 18, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; data: Bar }) => `${p.name}<br/>${formatValue(p.data.value, info.unit, lang)} · ${lightLabel(p.data.light, lang)}`,
      },
      // the axis reaches the standard even when every bar falls short of it
      xAxis: {
        type: 'value',
        max: axisMax(bars.known, standard),
        axisLabel: { fontSize: 10 },
        splitLine: { lineStyle: { color: '#eceff2' } },
      },
      yAxis: { type: 'category', data: bars.known.map((b) => b.name), axisLabel: { fontSize: 10, interval: 0 }, axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          barCategoryGap: '22%',
          data: bars.known.map((b) => ({
            ...b,
            itemStyle: {
              color: lightColors[b.light],
              borderColor: b.code === selected ? '#1d2733' : undefined,
              borderWidth: b.code === selected ? 2 : 0,
            },
          })),
          label: { show: true, position: 'right', fontSize: 9, color: '#5d6b7a', formatter: (p: { data: Bar }) => formatNumber(lang, p.data.value, 1) },
          markLine:
            standard === null
              ? undefined
              : {
                  silent: true,
                  symbol: 'none',
                  lineStyle: { color: '#1d2733', type: 'dashed', width: 1.2 },
                  label: { formatter: `${t('leader.chart.standard')} ${formatNumber(lang, standard, 1)}`, fontSize: 10, position: 'end' },
                  data: [{ xAxis: standard }],
                },
        },
      ],
    }),
    [bars, info, lang, selected, standard, t],
  )

  const costOption = useMemo<echarts.EChartsCoreOption>(() => {
    const names = (status: CostStatus) => (status === 'unfunded' ? t('leader.chart.unfunded') : t(`backlogStatus.${status}`))
    const rows = [...streets].reverse()
    return {
      animation: false,
      textStyle: { fontFamily },
      grid: { left: 4, right: 12, top: 30, bottom: 4, containLabel: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatYuan(lang, v) },
      // the axis counts in the reader's large unit of money, which the caption names
      xAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => formatNumber(lang, v / moneyScale[lang], 2) }, splitLine: { lineStyle: { color: '#eceff2' } } },
      yAxis: { type: 'category', data: rows.map((s) => s.name), axisLabel: { fontSize: 10 }, axisTick: { show: false } },
      series: costStatuses.map((status) => ({
        type: 'bar',
        name: names(status),
        stack: 'cost',
        itemStyle: { color: statusColours[status] },
        data: rows.map((s) => Number(s.indicators.backlog_funded?.parts[`${status}_cost`] ?? 0)),
      })),
    }
  }, [streets, lang, t])

  const indicatorChart = useChart(indicatorOption, (_name, data) => {
    const code = (data as Bar | undefined)?.code
    if (code) onChoose(code)
  })
  const costChart = useChart(costOption)

  return (
    <div className="leader-charts" data-testid="leader-charts">
      <figure>
        <figcaption>{t('leader.chart.indicator', { label: labelOf(info, lang) })}</figcaption>
        {bars.known.length ? null : <p className="muted">{t('leader.chart.empty')}</p>}
        <div ref={indicatorChart} className="leader-chart" data-testid="leader-chart-indicator" data-bars={bars.known.length} style={{ height: bars.known.length ? bars.known.length * 15 + 40 : 0 }} />
        {bars.missing > 0 && <p className="muted">{`${lightLabel('none', lang)}: ${bars.missing}`}</p>}
      </figure>
      <figure>
        <figcaption>{t('leader.chart.backlog', { unit: moneyUnit(lang) })}</figcaption>
        <div ref={costChart} className="leader-chart" data-testid="leader-chart-backlog" style={{ height: streets.length * 30 + 60 }} />
      </figure>
    </div>
  )
}
