/**
 * One element at a time out of a stream, for the first chunk of an import.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"

/**
 * Reads a stream one element at a time: `none` once it has ended (and on
 * every read after).
 */
export const puller = <A, E, R>(
  stream: Stream.Stream<A, E, R>
): Effect.Effect<Effect.Effect<Option.Option<A>, E, R>, never, R | Scope.Scope> =>
  Effect.map(Stream.toPull(stream), (pull) => {
    let buffer: Chunk.Chunk<A> = Chunk.empty()
    let done = false
    const next: Effect.Effect<Option.Option<A>, E, R> = Effect.suspend(() => {
      const item = Chunk.head(buffer)
      if (Option.isSome(item)) {
        buffer = Chunk.drop(buffer, 1)
        return Effect.succeed(item)
      }
      if (done) return Effect.succeed(Option.none())
      return pull.pipe(
        Effect.matchEffect({
          onFailure: Option.match({
            onNone: () => {
              done = true
              return Effect.succeed(Option.none<A>())
            },
            onSome: (error) => Effect.fail(error)
          }),
          onSuccess: (chunk) => {
            buffer = chunk
            return next
          }
        })
      )
    })
    return next
  })

/** `first`, then what `next` reads. */
export const startingWith = <A, E, R>(
  first: A,
  next: Effect.Effect<Option.Option<A>, E, R>
): Effect.Effect<Option.Option<A>, E, R> => {
  let pending = true
  return Effect.suspend(() => {
    if (!pending) return next
    pending = false
    return Effect.succeed(Option.some(first))
  })
}
