import { http } from '../request'
import type { Affected, Region } from '../types'

const BASE = '/api/platform/regions'

// GeoJSON is a standard format rather than a named schema of the contract, so it is typed here.
export interface GeoFeatureProperties {
  name: string
  adcode: string | number
  [key: string]: unknown
}

export interface GeoGeometry {
  type: string
  coordinates: unknown
}

export interface GeoFeature {
  type: 'Feature'
  properties: GeoFeatureProperties
  geometry: GeoGeometry | null
}

export interface GeoFeatureCollection {
  type: 'FeatureCollection'
  features: GeoFeature[]
}

/** Flat region list (city → county → township); build the tree by parent_code. */
export function listRegions(): Promise<Region[]> {
  return http.get<Region[]>(BASE)
}

export function getBoundaries(): Promise<GeoFeatureCollection> {
  return http.get<GeoFeatureCollection>(`${BASE}/boundaries`)
}

/** Replaces boundaries [platform:region:edit]. */
export function putBoundaries(body: GeoFeatureCollection): Promise<Affected> {
  return http.put<Affected>(`${BASE}/boundaries`, body)
}

/**
 * Checks that parsed JSON is a FeatureCollection whose features carry `name` and `adcode`
 * properties. Returns the typed collection or a Chinese reason.
 */
export function parseFeatureCollection(value: unknown): GeoFeatureCollection | string {
  if (typeof value !== 'object' || value === null) return '文件内容不是 GeoJSON 对象'
  const fc = value as { type?: unknown; features?: unknown }
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return 'GeoJSON 必须是 FeatureCollection'
  }
  if (fc.features.length === 0) return 'GeoJSON 不包含任何要素'
  for (const [i, f] of fc.features.entries()) {
    const feature = f as { type?: unknown; properties?: { name?: unknown; adcode?: unknown } | null }
    const props = feature.properties
    if (feature.type !== 'Feature' || !props) return `第 ${i + 1} 个要素缺少 properties`
    if (typeof props.name !== 'string' || props.name === '') return `第 ${i + 1} 个要素缺少 name 属性`
    if (typeof props.adcode !== 'string' && typeof props.adcode !== 'number') {
      return `第 ${i + 1} 个要素（${props.name}）缺少 adcode 属性`
    }
  }
  return value as GeoFeatureCollection
}
