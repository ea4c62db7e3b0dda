/**
 * The hand-written fast path for orders must decide exactly as the Schema
 * (`Models.CallOrder`, unknown keys preserved) would, for any input.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { formatIssues } from "../../../src/CallbotClient.js"
import * as Orders from "../../../src/internal/api/orders.js"
import { Models } from "../../../src/index.js"

const reference = Schema.decodeUnknownEither(Models.CallOrder, { errors: "all", onExcessProperty: "preserve" })

const field = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined, freq: 3 })
const phone = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{6,14}$/),
  fc.constantFrom("", "0123456789", "+8613800000000", "86 138 0000 0000", "123456", "1234567890123456"),
  fc.string()
)
const text = fc.oneof(fc.string(), fc.constant(""), fc.constant("  "))
const param = fc.oneof(
  fc.record({ name: text, value: text }),
  fc.record({ name: text, value: text, extra: fc.string() }),
  fc.record({ name: fc.constant(null), value: fc.constant(null) }),
  fc.anything()
)
const order = fc.oneof(
  fc.record(
    {
      orderID: field(fc.oneof(text, fc.integer())),
      userPhone: field(fc.oneof(phone, fc.integer())),
      other: field(fc.oneof(text, fc.constant(null), fc.integer())),
      userName: field(fc.oneof(text, fc.constant(null))),
      customerName: field(text),
      params: field(fc.oneof(fc.array(param, { maxLength: 3 }), fc.constant([]), fc.string())),
      extraKey: field(fc.string())
    },
    { requiredKeys: [] }
  ),
  fc.anything()
)

const outcome = (result: Either.Either<Models.CallOrderWire, import("effect/ParseResult").ParseError>) =>
  Either.isRight(result)
    ? { ok: result.right }
    : { issues: formatIssues(result.left).map((i) => `${i.field}: ${i.description}`) }

describe("Orders.decodeOrder", () => {
  it("agrees with the Schema on every generated order", () =>
    fc.assert(
      fc.property(order, (o) => {
        expect(outcome(Orders.decodeOrder(o))).toEqual(outcome(reference(o)))
      }),
      { numRuns: 5_000 }
    ))

  it("keeps unknown keys on the wire, like the Schema with preserve", () => {
    const decoded = Orders.decodeOrder({ orderID: "o1", userPhone: "8613800000000", vendorField: 1 })
    expect(decoded).toEqual(Either.right({
      orderID: "o1",
      userPhone: "8613800000000",
      other: "",
      userName: "",
      customerName: "",
      params: [],
      vendorField: 1
    }))
  })
})

describe("Orders.serverRejections", () => {
  const wire = (orderID: string, userPhone: string): Models.CallOrderWire => ({
    orderID,
    userPhone,
    other: "",
    userName: "",
    customerName: "",
    params: []
  })
  // Few phones, so that orders share them.
  const sent = fc.array(fc.constantFrom("8613800000001", "8613800000002", "8613800000003"), { maxLength: 12 }).map(
    (phones) => phones.map((phone, i) => wire(`o${i}`, phone))
  )
  const key = (o: { readonly phone: string; readonly orderID: string | undefined }) => `${o.phone}/${o.orderID ?? "?"}`

  it("rejects nothing for an empty errList: every order sent is unrejected once, with its orderID", () =>
    fc.assert(
      fc.property(sent, (orders) => {
        const result = Orders.serverRejections(orders, [])
        expect([result.rejected, result.notSent, result.repeated]).toEqual([[], 0, 0])
        expect(result.unrejected().map(key).sort()).toEqual(orders.map((o) => key({ phone: o.userPhone, orderID: o.orderID })).sort())
      })
    ))

  it("accounts for every order sent once, rejected or not, whatever errList says", () =>
    fc.assert(
      fc.property(
        sent,
        fc.array(
          fc.record({ phone: fc.constantFrom("8613800000001", "8613800000002", "8613800000009"), errMsg: fc.constantFrom("bad", "o1 bad", "o2") }),
          { maxLength: 8 }
        ),
        (orders, errList) => {
          const result = Orders.serverRejections(orders, errList)
          expect(result.rejected.length + result.unrejected().length).toBe(orders.length)
          expect(result.rejected.length + result.notSent + result.repeated).toBe(errList.length)
        }
      )
    ))
})

describe("isPhone", () => {
  const digits = fc.array(fc.constantFrom(..."0123456789"), { minLength: 5, maxLength: 17 }).map((d) => d.join(""))
  it("says exactly what Models.PHONE_PATTERN says, for any text", () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[1-9][0-9]{6,14}$/),
          digits,
          digits.map((d) => `${d}\n`),
          digits.map((d) => `+${d}`),
          fc.constantFrom("", "１２３４５６７８", "8613800000000\u0000", "٨٦١٣٨٠٠٠٠٠٠٠"),
          fc.string(),
          fc.string({ unit: "binary" })
        ),
        (text) => {
          expect(Orders.isPhone(text)).toBe(Models.PHONE_PATTERN.test(text))
        }
      ),
      { numRuns: 2000 }
    ))
})
