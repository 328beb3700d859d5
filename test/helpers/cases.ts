import { CoreError } from '../../src/core/errors.js'

/**
 * For random case generators: the core refuses some random combinations (a kernel larger than
 * the padded input, …); those are not cases. Any other error is a real failure and is rethrown.
 */
export function orNull<T>(make: () => T): T | null {
  try {
    return make()
  } catch (error) {
    if (error instanceof CoreError) return null
    throw error
  }
}
