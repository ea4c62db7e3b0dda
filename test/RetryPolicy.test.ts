import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Schedule, TestClock } from "effect"
import { CallbotError, RetryPolicy } from "../src/index.js"

const busy = () => new CallbotError.SystemBusy({ retCode: 7, retMsg: "busy", responseID: "r" })
const internal = () => new CallbotError.InternalServerError({ retCode: 5001, retMsg: "oops", responseID: "r" })
const invalid = () => new CallbotError.InvalidParameterValue({ retCode: 4, retMsg: "bad", responseID: "r" })
const status = (code: number, retryAfter?: number) =>
  new CallbotError.HttpStatusError({ endpoint: "e", status: code, body: "", retryAfter })
const transport = (sent: boolean) =>
  new CallbotError.TransportError({ endpoint: "e", reason: sent ? "Timeout" : "Transport", description: "x", sent })

describe("RetryPolicy.classify", () => {
  it("sorts every outcome into transient, ambiguous or permanent", () => {
    expect(RetryPolicy.classify(busy())).toBe("transient")
    expect(RetryPolicy.classify(new CallbotError.ServerMaintenance({ retCode: 5, retMsg: "", responseID: "" }))).toBe(
      "transient"
    )
    expect(
      RetryPolicy.classify(new CallbotError.BatchImportInProgress({ retCode: 1001, retMsg: "", responseID: "" }))
    ).toBe("transient")
    for (const code of [429, 502, 503, 504]) expect(RetryPolicy.classify(status(code))).toBe("transient")
    expect(RetryPolicy.classify(status(500))).toBe("ambiguous")
    for (const code of [400, 401, 403, 404, 413]) expect(RetryPolicy.classify(status(code))).toBe("permanent")
    expect(RetryPolicy.classify(transport(false))).toBe("transient")
    expect(RetryPolicy.classify(transport(true))).toBe("ambiguous")
    expect(RetryPolicy.classify(internal())).toBe("ambiguous")
    expect(RetryPolicy.classify(invalid())).toBe("permanent")
    expect(RetryPolicy.classify(new CallbotError.InvalidSignature({ retCode: 6, retMsg: "", responseID: "" }))).toBe(
      "permanent"
    )
    expect(RetryPolicy.classify(new CallbotError.TooManyElements({ retCode: 4001, retMsg: "", responseID: "" }))).toBe(
      "permanent"
    )
    // The request arrived; the answer cannot be used: the platform may have acted.
    expect(
      RetryPolicy.classify(new CallbotError.ResponseSignatureError({ endpoint: "e", reason: "Mismatch" }))
    ).toBe("ambiguous")
    expect(RetryPolicy.classify(new CallbotError.MalformedResponse({ endpoint: "e", description: "", body: "" }))).toBe(
      "ambiguous"
    )
    expect(RetryPolicy.classify(new CallbotError.GeneralError({ retCode: 1, retMsg: "", responseID: "" }))).toBe(
      "permanent"
    )
    expect(RetryPolicy.classify(new CallbotError.UnknownRetCode({ retCode: 99, retMsg: "", responseID: "" }))).toBe(
      "permanent"
    )
  })
})

/** An attempt function that fails with the given errors in turn, then succeeds; it records when it ran. */
const scripted = (errors: ReadonlyArray<RetryPolicy.AttemptError>) => {
  const calls: Array<number> = []
  const attempt = (n: number) =>
    Effect.gen(function*() {
      calls.push(yield* TestClock.currentTimeMillis)
      const error = errors[n - 1]
      return error === undefined ? `ok after ${n}` : yield* Effect.fail(error)
    })
  return { calls, attempt }
}

const noJitter = RetryPolicy.make({ jitter: false })
const idempotent = { endpoint: "listTask", idempotent: true }
const creating = { endpoint: "createAndCall", idempotent: false }

describe("RetryPolicy.retry", () => {
  it.effect("steps a policy's own schedule once per retry, never on the failure that ends the retries", () =>
    Effect.gen(function*() {
      const stepped: Array<string> = []
      const counting = Schedule.spaced("100 millis").pipe(
        Schedule.tapInput((error: RetryPolicy.AttemptError) => Effect.sync(() => stepped.push(error._tag)))
      )
      const policy = RetryPolicy.make({ schedule: counting, maxAttempts: 3 })

      // Attempts used up: two retries, two steps; the third failure steps nothing.
      const exhausted = scripted([busy(), busy(), busy()])
      const first = yield* Effect.fork(Effect.either(RetryPolicy.retry(exhausted.attempt, policy, creating)))
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(first))._tag).toBe("Left")
      expect(exhausted.calls).toEqual([0, 100, 200])
      expect(stepped).toEqual(["SystemBusy", "SystemBusy"])

      // A failure that is not retried: one retry, one step.
      stepped.length = 0
      const permanent = scripted([busy(), invalid()])
      const second = yield* Effect.fork(Effect.either(RetryPolicy.retry(permanent.attempt, policy, creating)))
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(second))._tag).toBe("Left")
      expect(permanent.calls.length).toBe(2)
      expect(stepped).toEqual(["SystemBusy"])
    }))

  it.effect("retries transient failures with exponential backoff until success", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([busy(), status(503), transport(false)])
      const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, noJitter, creating))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok after 4")
      expect(calls).toEqual([0, 200, 600, 1400])
    }))

  it.effect("jitter keeps each delay within 80%–120% of the backoff", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([busy(), busy(), busy(), busy()])
      const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, RetryPolicy.defaultPolicy, creating))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok after 5")
      const delays = calls.slice(1).map((t, i) => t - calls[i]!)
      delays.forEach((delay, i) => {
        const base = 200 * 2 ** i
        expect(delay).toBeGreaterThanOrEqual(base * 0.8)
        expect(delay).toBeLessThanOrEqual(base * 1.2)
      })
    }))

  it.effect("waits at least as long as Retry-After asks", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([status(429, 7)])
      const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, noJitter, creating))
      yield* TestClock.adjust("6 seconds")
      expect(calls).toEqual([0])
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("ok after 2")
      expect(calls).toEqual([0, 7000])
    }))

  it.effect("a Retry-After far in the future is cut to the policy's maxDelay", () =>
    Effect.gen(function*() {
      // An HTTP date in 2100, as parsed: about 2.3 billion seconds away.
      const { attempt, calls } = scripted([status(503, 2_300_000_000)])
      const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, noJitter, creating))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok after 2")
      expect(calls).toEqual([0, 10_000])
      expect(noJitter.maxDelay).toEqual(Duration.seconds(10))
    }))

  it.effect("never retries permanent failures", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([invalid()])
      const error = yield* Effect.flip(RetryPolicy.retry(attempt, noJitter, idempotent))
      expect(error._tag).toBe("InvalidParameterValue")
      expect(calls).toHaveLength(1)
    }))

  it.effect("retries ambiguous failures only for idempotent requests", () =>
    Effect.gen(function*() {
      const once = scripted([internal(), transport(true)])
      const error = yield* Effect.flip(RetryPolicy.retry(once.attempt, noJitter, creating))
      expect(error._tag).toBe("InternalServerError")
      expect(once.calls).toHaveLength(1)

      const again = scripted([internal(), transport(true)])
      const fiber = yield* Effect.fork(RetryPolicy.retry(again.attempt, noJitter, idempotent))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("ok after 3")

      const optedIn = scripted([internal()])
      const fiber2 = yield* Effect.fork(
        RetryPolicy.retry(optedIn.attempt, RetryPolicy.make({ jitter: false, retryAmbiguous: true }), creating)
      )
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber2)).toBe("ok after 2")
    }))

  it.effect("stops after maxAttempts with the last error", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([busy(), busy(), status(503)])
      const fiber = yield* Effect.fork(
        RetryPolicy.retry(attempt, RetryPolicy.make({ maxAttempts: 3, jitter: false }), creating)
      )
      yield* TestClock.adjust("1 minute")
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error._tag).toBe("HttpStatusError")
      expect(calls).toHaveLength(3)
    }))

  it.effect("does not start an attempt that would begin after the deadline", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted(Array.from({ length: 20 }, busy))
      const policy = RetryPolicy.make({ maxAttempts: 20, deadline: "3 seconds", jitter: false })
      const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, policy, creating))
      yield* TestClock.adjust("1 minute")
      yield* Effect.flip(Fiber.join(fiber))
      // 0, 200, 600, 1400; the next would start at 3000 ≥ deadline
      expect(calls).toEqual([0, 200, 600, 1400])
    }))

  it.effect("composes with a user Schedule", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([busy(), busy(), busy()])
      const policy = RetryPolicy.make({ schedule: Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(5))) })
      const fiber = yield* Effect.fork(RetryPolicy.retry(attempt, policy, creating))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok after 4")
      expect(calls).toEqual([0, 1000, 2000, 3000])

      const limited = scripted([busy(), busy(), busy()])
      const stopping = RetryPolicy.make({ schedule: Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(1))) })
      const fiber2 = yield* Effect.fork(RetryPolicy.retry(limited.attempt, stopping, creating))
      yield* TestClock.adjust("10 seconds")
      yield* Effect.flip(Fiber.join(fiber2))
      expect(limited.calls).toHaveLength(2)
    }))

  it.effect("RetryPolicy.none makes one attempt", () =>
    Effect.gen(function*() {
      const { attempt, calls } = scripted([busy()])
      yield* Effect.flip(RetryPolicy.retry(attempt, RetryPolicy.none, creating))
      expect(calls).toHaveLength(1)
    }))

  it.effect("withPolicy sets the per-call override that currentPolicy reads", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ maxAttempts: 9 })
      const inside = yield* RetryPolicy.withPolicy(Effect.flatMap(Effect.succeed(0), () => RetryPolicy.currentPolicy.pipe(Effect.flatten)), policy)
      expect(inside.maxAttempts).toBe(9)
      expect(Duration.toMillis(inside.deadline)).toBe(60_000)
    }))
})
