// @ts-check
/**
 * A TypeDoc plugin: every export of a package must be documented, and the exports whose behaviour
 * a specification decides (the protocol flows: creating a client, serving the worker) must cite it
 * with `@see`, so a reader can check them against the text. Citations elsewhere are noise and are
 * not asked for. A missing comment or citation is a warning, and the docs build treats warnings as
 * errors.
 */
import { Converter, DeclarationReflection, ReflectionKind } from 'typedoc'

const EXPORT_KINDS =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum

/** Exports that run a protocol flow: each must say which specification decides what it does. */
const MUST_CITE = new Set(['createAuthClient', 'serveAuthWorker', 'AuthClientOptions'])

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(EXPORT_KINDS)) {
      if (!(reflection instanceof DeclarationReflection)) continue
      if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) continue
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)]
      if (!comments.some((comment) => comment && comment.summary.length > 0)) {
        app.logger.warn(`${reflection.getFriendlyFullName()} has no doc comment`)
      }
      const cites = comments.some((comment) => comment?.blockTags.some((tag) => tag.tag === '@see'))
      if (MUST_CITE.has(reflection.name) && !cites) {
        app.logger.warn(`${reflection.getFriendlyFullName()} cites no specification: add an @see tag`)
      }
    }
  })
}
