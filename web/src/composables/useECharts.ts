// The one way views use ECharts: the registration in plugins/echarts.ts runs once on first import,
// `VChart` (vue-echarts) disposes the instance on unmount and, with `autoresize`, follows its
// container's size.
import '@/plugins/echarts'
import { registerMap } from 'echarts/core'
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, MapSeriesOption, PieSeriesOption } from 'echarts/charts'
import type {
  GeoComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components'
import { shallowRef } from 'vue'
import VChart from 'vue-echarts'

export { VChart }

export type ChartOption = ComposeOption<
  | MapSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GeoComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>

type GeoJsonInput = Parameters<typeof registerMap>[1]

/**
 * Registers (or replaces) a GeoJSON map under `name`. `version` changes each time, so a chart can
 * be keyed on it to redraw with the new geometry.
 */
export function useGeoMap(name: string) {
  const version = shallowRef(0)
  function register(geojson: object): void {
    registerMap(name, geojson as GeoJsonInput)
    version.value += 1
  }
  return { name, version, register }
}
