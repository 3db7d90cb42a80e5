// @ts-check
/**
 * A demo server with its clock off, for tests only (e2e/clock-skew.spec.ts): with
 * `CLOCK_OFFSET_SECONDS` set, `Date.now()` and `new Date()` in this process run that many seconds
 * ahead (negative: behind), and so does the `Date` header of every HTTP response it sends (RFC 9110
 * §6.6.1), which Node would otherwise stamp from the real clock. Everything that reads the time
 * through `Date` follows: oidc-provider's `iat`/`exp`, jose's checks, the API's DPoP `iat` window.
 *
 * Imported first by a server's CLI entry (demo/provider/server.js, demo/api/server.js); does nothing
 * when the variable is unset or 0.
 */
import { ServerResponse } from 'node:http'

const offsetMs = Number(process.env.CLOCK_OFFSET_SECONDS ?? 0) * 1000

if (!Number.isFinite(offsetMs)) throw new Error('CLOCK_OFFSET_SECONDS must be a number of seconds')

if (offsetMs !== 0) {
  const RealDate = Date
  const realNow = RealDate.now
  /** `Date` with the offset: `new Date()` and `Date.now()` only; explicit times are as given. */
  class ShiftedDate extends RealDate {
    /** @param {any[]} args */
    constructor(...args) {
      if (args.length === 0) super(realNow() + offsetMs)
      else super(.../** @type {[any]} */ (args))
    }

    /** @override */
    static now() {
      return realNow() + offsetMs
    }
  }
  globalThis.Date = /** @type {DateConstructor} */ (ShiftedDate)

  const writeHead = ServerResponse.prototype.writeHead
  /** @type {any} */
  ServerResponse.prototype.writeHead = function (/** @type {any[]} */ ...args) {
    if (!this.hasHeader('date')) this.setHeader('Date', new Date().toUTCString())
    return writeHead.apply(this, /** @type {any} */ (args))
  }
  console.log(`clock: ${offsetMs / 1000} s off`)
}
