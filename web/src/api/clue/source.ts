// Clue sources (线索来源, F02): the registry of systems that push clues, with their credentials and
// mappings. Reads need clue:source:view, writes clue:source:edit; every write is audited and creates
// a config version (entity `source`, see listConfigVersions in ./config). A secret is returned only
// by create and rotate-secret, once.
import { http } from '../request'
import type { Source, SourceCreated, SourceInput, SourceSecret } from './types'

const BASE = '/api/clue/sources'

export function listSources(): Promise<Source[]> {
  return http.get<Source[]>(BASE)
}

/** 201 with the new source and its credentials (app key + secret, shown once). 409 for a taken code. */
export function createSource(body: SourceInput): Promise<SourceCreated> {
  return http.post<SourceCreated>(BASE, body)
}

export function updateSource(id: number, body: SourceInput): Promise<Source> {
  return http.put<Source>(`${BASE}/${id}`, body)
}

/** 409 `source_in_use` once the source has pushed clues (disable it instead). */
export function deleteSource(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/${id}`)
}

/** Issues a new secret; the old one stops working at once. Shown once. */
export function rotateSourceSecret(id: number): Promise<SourceSecret> {
  return http.post<SourceSecret>(`${BASE}/${id}/rotate-secret`)
}
