import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, TestClock } from "effect"
import { within } from "../../../src/internal/retry/deadline.js"

describe("within (the per-attempt time limit)", () => {
  it.live("an attempt still running at the limit fails with the timeout error and is interrupted", () =>
    Effect.gen(function*() {
      const interrupted = yield* Deferred.make<void>()
      const started = Date.now()
      const exit = yield* Effect.exit(
        within(Effect.onInterrupt(Effect.never, () => Deferred.succeed(interrupted, undefined)), Duration.millis(50), () =>
          "timed out")
      )
      expect(exit).toEqual(Exit.fail("timed out"))
      expect(yield* Deferred.isDone(interrupted)).toBe(true)
      expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    }))

  it.live("an attempt that ends in time keeps its own success or failure", () =>
    Effect.gen(function*() {
      expect(yield* within(Effect.delay(Effect.succeed(1), "5 millis"), Duration.seconds(5), () => "timed out")).toBe(1)
      expect(yield* Effect.exit(within(Effect.fail("own"), Duration.seconds(5), () => "timed out"))).toEqual(
        Exit.fail("own")
      )
    }))

  it.live("interrupting the caller interrupts the attempt", () =>
    Effect.gen(function*() {
      const interrupted = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        within(Effect.onInterrupt(Effect.never, () => Deferred.succeed(interrupted, undefined)), Duration.seconds(30), () =>
          "timed out")
      )
      yield* Effect.sleep("10 millis")
      yield* Fiber.interrupt(fiber)
      expect(yield* Deferred.isDone(interrupted)).toBe(true)
    }))

  it.effect("under a TestClock the limit follows simulated time", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(within(Effect.never, Duration.seconds(30), () => "timed out"))
      yield* TestClock.adjust("29 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.await(fiber)).toEqual(Exit.fail("timed out"))
    }))
})
