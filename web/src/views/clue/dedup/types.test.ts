import { describe, expect, it } from 'vitest'
import { DEDUP_FORM_DEFAULTS, weightsError } from './types'

describe('dedup weights', () => {
  it('accept weights that add up to 1 and name the sum otherwise', () => {
    expect(weightsError(DEDUP_FORM_DEFAULTS)).toBeNull()
    expect(weightsError({ weight_category: 0.4, weight_proximity: 0.3, weight_text: 0.3 })).toBeNull()
    expect(weightsError({ weight_category: 0.5, weight_proximity: 0.5, weight_text: 0.25 })).toContain('1.25')
  })
})
