import { version } from '../../package.json'

/**
 * The package's version. The page and its worker must come from the same one: what crosses between
 * them is private to the package and may change in any release, so `init` refuses a page of another
 * version (a worker file served by the app itself and not updated with the package, say).
 */
export const VERSION: string = version
