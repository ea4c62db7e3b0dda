/**
 * One element at a time out of a stream, for the first chunk of an import.
 */
import * as Chunk from "effect/Chunk";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
/**
 * Reads a stream one element at a time: `none` once it has ended (and on
 * every read after).
 */
export const puller = (stream) => Effect.map(Stream.toPull(stream), (pull) => {
    let buffer = Chunk.empty();
    let done = false;
    const next = Effect.suspend(() => {
        const item = Chunk.head(buffer);
        if (Option.isSome(item)) {
            buffer = Chunk.drop(buffer, 1);
            return Effect.succeed(item);
        }
        if (done)
            return Effect.succeed(Option.none());
        return pull.pipe(Effect.matchEffect({
            onFailure: Option.match({
                onNone: () => {
                    done = true;
                    return Effect.succeed(Option.none());
                },
                onSome: (error) => Effect.fail(error)
            }),
            onSuccess: (chunk) => {
                buffer = chunk;
                return next;
            }
        }));
    });
    return next;
});
/** The rest of a pulled stream, as a stream. */
export const remaining = (next) => Stream.repeatEffectOption(Effect.flatMap(Effect.mapError(next, Option.some), (o) => Option.isSome(o) ? Effect.succeed(o.value) : Effect.fail(Option.none())));
