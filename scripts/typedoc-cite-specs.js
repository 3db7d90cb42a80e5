// @ts-check
/**
 * A TypeDoc plugin: every export of a package must cite the specification it follows with `@see`,
 * so a reader can check it against the text that decides its behaviour. A missing citation is a
 * warning, and the docs build treats warnings as errors.
 */
import { Converter, DeclarationReflection, ReflectionKind } from 'typedoc'

const EXPORT_KINDS =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(EXPORT_KINDS)) {
      if (!(reflection instanceof DeclarationReflection)) continue
      if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) continue
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)]
      if (!comments.some((comment) => comment?.blockTags.some((tag) => tag.tag === '@see'))) {
        app.logger.warn(`${reflection.getFriendlyFullName()} cites no specification: add an @see tag`)
      }
    }
  })
}
