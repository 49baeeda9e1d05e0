import { http } from '../request'
import type { PortalTile, PortalTileInput } from '../types'

const BASE = '/api/platform/portal/tiles'

/** Tiles visible to the current user (home page). */
export function listMyTiles(): Promise<PortalTile[]> {
  return http.get<PortalTile[]>(BASE)
}

/** Every tile, for configuration [platform:portal:edit]. */
export function listAllTiles(): Promise<PortalTile[]> {
  return http.get<PortalTile[]>(`${BASE}/all`)
}

export function createTile(body: PortalTileInput): Promise<PortalTile> {
  return http.post<PortalTile>(BASE, body)
}

export function updateTile(id: number, body: PortalTileInput): Promise<PortalTile> {
  return http.put<PortalTile>(`${BASE}/${id}`, body)
}

export function deleteTile(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/${id}`)
}
