/**
 * Wire models shared by several Callbot endpoints and callbacks, as
 * `effect/Schema` schemas with the vendor's exact field names.
 *
 * Request-side schemas validate (ranges, enums, phone format) and fill the
 * documented defaults when they decode, so the decoded value is exactly the
 * JSON that is signed and sent. Response-side schemas are lenient where the
 * vendor's lists are incomplete: unknown enum values decode as numbers.
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * The constant `productID` every endpoint but `ping` takes.
 *
 * @since 0.1.0
 * @category constants
 */
export const PRODUCT_ID = "callbot" as const

/**
 * The dialling strategy every script has (默认策略, "default strategy").
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_STRATEGY_NAME = "默认策略" as const

/**
 * `productID`, filled with `"callbot"` when left out.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProductID = Schema.optionalWith(Schema.String.pipe(Schema.compose(Schema.Literal(PRODUCT_ID), { strict: false })), {
  default: () => PRODUCT_ID
})

/**
 * A request field that takes one of a few numbers: the caller may write any
 * `number` (a plain `const` object widens `3` to `number`), the value is
 * checked against the literals when the request is validated, and the
 * decoded value keeps the literal type.
 *
 * @since 0.2.0
 * @category schemas
 */
export const numberIn = <const Literals extends readonly [number, ...Array<number>]>(
  literal: Schema.Literal<Literals>
): Schema.Schema<Literals[number], number> => Schema.Number.pipe(Schema.compose(literal, { strict: false }))

/**
 * A string that is not empty and not only white space.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NonBlankString = Schema.String.pipe(
  Schema.filter((s) => s.trim().length > 0, { message: () => "must not be empty" })
)

/**
 * An absolute `http:` or `https:` URL (callback addresses).
 *
 * @since 0.1.0
 * @category schemas
 */
export const HttpUrl = Schema.String.pipe(
  Schema.filter((s) => /^https?:\/\//i.test(s) && URL.canParse(s), {
    message: (issue) => `must be an absolute http(s) URL, got ${JSON.stringify(issue.actual)}`
  })
).annotations({ identifier: "HttpUrl" })

/**
 * The shape of a phone number the SDK accepts: 7–15 digits, country code
 * first, no leading 0, no `+`, spaces or dashes (E.164 without the `+`).
 *
 * @since 0.1.0
 * @category constants
 */
export const PHONE_PATTERN = /^[1-9][0-9]{6,14}$/

/**
 * A phone number as the platform wants it: digits only, country code first,
 * no `+`, spaces or dashes (e.g. `8615600000000`). The check is E.164's
 * shape: 7 to 15 digits, not starting with 0.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhoneNumber = Schema.String.pipe(
  Schema.filter((s) => PHONE_PATTERN.test(s), {
    message: (issue) =>
      `must be 7-15 digits with the country code and no '+', spaces or dashes (e.g. 8615600000000), got ${
        JSON.stringify(issue.actual)
      }`
  })
).annotations({ identifier: "PhoneNumber" })

/**
 * Task start mode: `1` manual, `2` scheduled (at `startupAt`), `3` immediate.
 *
 * @since 0.1.0
 * @category models
 */
export const StartupType = Schema.Literal(1, 2, 3).annotations({
  identifier: "StartupType",
  description: "1 manual start, 2 scheduled start (startupAt), 3 immediate start"
})

/**
 * Named {@link StartupType} values.
 *
 * @since 0.1.0
 * @category constants
 */
export const StartupTypes = { Manual: 1, Scheduled: 2, Immediate: 3 } as const

/**
 * Transfer-to-human dispatch: `0` none, `1` ratio outbound, `3` predictive
 * outbound 2.0 (the vendor documents no `2`).
 *
 * @since 0.1.0
 * @category models
 */
export const DispatchType = Schema.Literal(0, 1, 3).annotations({ identifier: "DispatchType" })

/**
 * Task status as the platform reports it. The documented values are in
 * {@link TaskStatuses}; other integers decode too, so a new status never
 * breaks a callback.
 *
 * @since 0.1.0
 * @category models
 */
export const TaskStatus = Schema.Int.annotations({
  identifier: "TaskStatus",
  description: "1 pending, 2 in progress, 3 completed, 4 ended (failed), 5 paused"
})

/**
 * Named task status values.
 *
 * @since 0.1.0
 * @category constants
 */
export const TaskStatuses = { Pending: 1, InProgress: 2, Completed: 3, Ended: 4, Paused: 5 } as const

/**
 * A readable name for a task status, or `unknown(n)`.
 *
 * @since 0.1.0
 * @category utils
 */
export const taskStatusName = (status: number): string => {
  switch (status) {
    case 1:
      return "pending"
    case 2:
      return "in progress"
    case 3:
      return "completed"
    case 4:
      return "ended"
    case 5:
      return "paused"
    default:
      return `unknown(${status})`
  }
}

const parseCommaList = (s: string): ReadonlyArray<string> => (s.trim() === "" ? [] : s.split(",").map((x) => x.trim()))

const commaList = <Item extends number>(options: {
  readonly name: string
  readonly item: Schema.Schema<Item>
  readonly min: number
  readonly max: number
  readonly allowEmpty: boolean
}) => {
  const check = (items: ReadonlyArray<string>): string | undefined => {
    if (items.length === 0 && !options.allowEmpty) return `must list at least one ${options.name}`
    const seen = new Set<number>()
    for (const item of items) {
      const n = /^\d{1,2}$/.test(item) ? Number(item) : Number.NaN
      if (!(n >= options.min && n <= options.max)) {
        return `${JSON.stringify(item)} is not a ${options.name} (${options.min}-${options.max})`
      }
      if (seen.has(n)) return `${options.name} ${n} is listed twice`
      seen.add(n)
    }
    return undefined
  }
  const FromString = Schema.transform(
    Schema.String.pipe(Schema.filter((s) => check(parseCommaList(s)))),
    Schema.String,
    { strict: true, decode: (s) => parseCommaList(s).map(Number).join(","), encode: (s) => s }
  )
  const Items = Schema.Array(options.item)
  const FromArray = Schema.transformOrFail(
    Items.pipe(Schema.filter((xs) => check(xs.map(String)))),
    Schema.String,
    {
      strict: true,
      decode: (xs) => ParseResult.succeed(xs.join(",")),
      encode: (s) => ParseResult.decodeUnknown(Items)(parseCommaList(s).map(Number))
    }
  )
  return Schema.Union(FromString, FromArray)
}

/**
 * Day of the week: `1` Monday … `7` Sunday.
 *
 * @since 0.1.0
 * @category models
 */
export const WeekDay = Schema.Literal(1, 2, 3, 4, 5, 6, 7)

/**
 * @since 0.1.0
 * @category models
 */
export type WeekDay = typeof WeekDay.Type

/**
 * Hour of the day, `0`–`23`.
 *
 * @since 0.1.0
 * @category models
 */
export const Hour = Schema.Int.pipe(Schema.between(0, 23))

/**
 * `dialAtWeekDay`: the weekdays a task dials on. Accepts the wire string
 * (`"1,2,3,4,5"`) or an array (`[1, 2, 3, 4, 5]`); sends the string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WeekDayList = commaList({ name: "weekday", item: Schema.Int, min: 1, max: 7, allowEmpty: false })

/**
 * `dialAtUpHour` / `dialAtDownHour`: hours `h` whose first (`h:00–h:30`) or
 * second (`h:30–h+1:00`) half the task dials in. Accepts `"9,10,11"` or
 * `[9, 10, 11]`; may be empty, but not both.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HourList = commaList({ name: "hour", item: Hour, min: 0, max: 23, allowEmpty: true })

/**
 * `manualCallSetting`: transfer to a human agent (AICC script templates only).
 *
 * @since 0.1.0
 * @category models
 */
export const ManualCallSetting = Schema.Struct({
  agentGroup: NonBlankString,
  dispatchType: numberIn(DispatchType),
  /** Agent call ratio, for ratio outbound (`dispatchType` 1). */
  ratioCallRate: Schema.optionalWith(Schema.NonNegative, { default: () => 0 }),
  /** Predictive call rate, for predictive outbound (`dispatchType` 3). */
  predictCallRate: Schema.optionalWith(Schema.NonNegative, { default: () => 0 })
})

const maxZoneSecond = 14 * 3600
const minZoneSecond = -12 * 3600

const taskCreateSettingFields = {
  strategyName: Schema.optionalWith(NonBlankString, { default: () => DEFAULT_STRATEGY_NAME }),
  startupType: numberIn(StartupType),
  startupAt: Schema.optionalWith(Schema.NonNegativeInt, { default: () => 0 }),
  /** Offset of the task's time zone from UTC in seconds: UTC+8 → 28800. */
  zoneSecond: Schema.Int.pipe(
    Schema.between(minZoneSecond, maxZoneSecond, {
      message: (issue) =>
        `must be a UTC offset in seconds between ${minZoneSecond} and ${maxZoneSecond} (UTC+8 = 28800), got ${
          JSON.stringify(issue.actual)
        }`
    })
  ),
  dialAtWeekDay: WeekDayList,
  dialAtUpHour: HourList,
  dialAtDownHour: HourList,
  /** Seconds. */
  maxRingTime: Schema.Int.pipe(Schema.positive()),
  routeID: Schema.optionalWith(Schema.String, { default: () => "" }),
  /** Number of robots (concurrent bot lines). */
  maxCall: Schema.Int.pipe(Schema.positive()),
  taskName: NonBlankString,
  taskCallbackUrl: HttpUrl,
  manualCallSetting: Schema.optional(ManualCallSetting)
}

const checkTaskCreateSetting = (s: {
  readonly startupType: number
  readonly startupAt: number
  readonly dialAtUpHour: string
  readonly dialAtDownHour: string
}) => {
  if (s.startupType === 2 && s.startupAt <= 0) {
    return { path: ["startupAt"], message: "is required (Unix seconds) when startupType is 2 (scheduled)" }
  }
  if (s.dialAtUpHour === "" && s.dialAtDownHour === "") {
    return { path: ["dialAtUpHour"], message: "dialAtUpHour and dialAtDownHour are both empty: the task could never dial" }
  }
  return undefined
}

/**
 * `taskCreateSetting`: how and when a task dials.
 *
 * Defaults (documented, not vendor-mandated): `strategyName` → `默认策略`,
 * `startupAt` → `0`, `routeID` → `""` (the vendor's own example). With
 * `startupType` 2, `startupAt` (Unix seconds — the unit is inferred) is
 * required.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskCreateSetting = Schema.Struct(taskCreateSettingFields).pipe(Schema.filter(checkTaskCreateSetting))

/**
 * `taskCreateSetting` as `createTask` takes it: the {@link TaskCreateSetting}
 * of `createAndCall`, except that `maxCall` and `taskName` are optional (the
 * createTask page does not list them; they are sent when given) and
 * `taskCallbackUrl` may be given here or at the top level of the request
 * (where createTask's wire puts it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateTaskSetting = Schema.Struct({
  ...taskCreateSettingFields,
  maxCall: Schema.optional(taskCreateSettingFields.maxCall),
  taskName: Schema.optional(taskCreateSettingFields.taskName),
  taskCallbackUrl: Schema.optional(HttpUrl)
}).pipe(Schema.filter(checkTaskCreateSetting))

/**
 * One SMS rule: send template `smsID` when a call ends with one of the intents.
 *
 * @since 0.1.0
 * @category models
 */
export const SmsRule = Schema.Struct({
  smsID: NonBlankString,
  intentID: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  intentName: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})

/**
 * `funcFlag`: task features. Every flag defaults to `false` and `smsFuncFlag`
 * to `[]` (our defaults; the vendor requires the fields but prescribes no
 * values). `smsEnable: true` needs at least one rule.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FuncFlag = Schema.Struct({
  /** Keep the task alive even when it has no orders left. */
  taskKeep: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Redial an unanswered call once within a round. */
  roundRedial: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Synthesise sentences with variables as whole sentences; needed when the script has variables. */
  wholeTTS: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  smsEnable: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  smsFuncFlag: Schema.optionalWith(Schema.Array(SmsRule), { default: () => [] }),
  /** Mask phone numbers in the portal. */
  phoneEncrypt: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).pipe(
  Schema.filter((f) =>
    f.smsEnable && f.smsFuncFlag.length === 0
      ? { path: ["smsFuncFlag"], message: "needs at least one rule when smsEnable is true" }
      : undefined
  )
)

/**
 * The all-default {@link FuncFlag}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultFuncFlag: typeof FuncFlag.Type = {
  taskKeep: false,
  roundRedial: false,
  wholeTTS: false,
  smsEnable: false,
  smsFuncFlag: [],
  phoneEncrypt: false
}

/**
 * A script variable.
 *
 * @since 0.1.0
 * @category models
 */
export const ScriptParam = Schema.Struct({
  name: NonBlankString,
  value: Schema.String
})

/**
 * One order: one phone number to dial (in one or more call rounds).
 * `other`, `userName`, `customerName` default to `""` and `params` to `[]`,
 * as the vendor asks for empty strings rather than missing fields.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallOrder = Schema.Struct({
  /** Yours, globally unique (a UUID is recommended). */
  orderID: NonBlankString,
  userPhone: PhoneNumber,
  /** Pass-through value, echoed in callbacks and lists. */
  other: Schema.optionalWith(Schema.String, { default: () => "" }),
  userName: Schema.optionalWith(Schema.String, { default: () => "" }),
  customerName: Schema.optionalWith(Schema.String, { default: () => "" }),
  params: Schema.optionalWith(Schema.Array(ScriptParam), { default: () => [] })
})

/**
 * An order as the caller writes it (defaults may be left out).
 *
 * @since 0.1.0
 * @category models
 */
export type CallOrderInput = typeof CallOrder.Encoded

/**
 * An order as it is sent.
 *
 * @since 0.1.0
 * @category models
 */
export type CallOrderWire = typeof CallOrder.Type

/**
 * The callback addresses of `callInfoList` (everything but `callList`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallInfoListHeader = Schema.Struct({
  orderCallbackUrl: HttpUrl,
  callCallbackUrl: HttpUrl
})

/**
 * `callInfoList`: the orders and where their callbacks go.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CallInfoList = Schema.Struct({
  ...CallInfoListHeader.fields,
  callList: Schema.Array(CallOrder)
})

/**
 * A rejected order in a `createAndCall` / `addBatchCall` / `importBatchCall`
 * answer: `{ phone, errMsg }` on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export const PhoneError = Schema.Struct({
  phone: Schema.String,
  errMsg: Schema.String
})

/**
 * `taskStat`: counters of a task (task callback, `listTask`).
 *
 * @since 0.1.0
 * @category models
 */
export const TaskStat = Schema.Struct({
  answerOrderCount: Schema.Number,
  finishOrderCount: Schema.Number,
  totalOrderCount: Schema.Number,
  /** `finishOrderCount / totalOrderCount`, rounded to 2 decimals. */
  finishRate: Schema.Number,
  totalAnswerCall: Schema.Number,
  totalCall: Schema.Number,
  /** `totalAnswerCall / totalCall`, rounded to 2 decimals. */
  answerRate: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type TaskStat = typeof TaskStat.Type

/**
 * Who refused an order: `"client"` (failed validation here, never sent),
 * `"server"` (listed in the platform's `errList`) or `"request"` (the request
 * carrying it failed as a whole — a typed error after other chunks of the
 * same import went through; `errMsg` names the error).
 *
 * @since 0.1.0
 * @category models
 */
export const RejectedBy = Schema.Literal("client", "server", "request")

/**
 * @since 0.1.0
 * @category models
 */
export type RejectedBy = typeof RejectedBy.Type

/**
 * An order that was not imported, with the reason. `rejectedBy` says who
 * refused it ({@link RejectedBy}). `phone` and `errMsg` keep the vendor's
 * `errList` names; `orderID` is filled whenever it is known (the platform
 * reports phones only, so a server rejection is matched back to the sent
 * order with that phone when that is unambiguous).
 *
 * @since 0.1.0
 * @category models
 */
export class RejectedOrder extends Schema.Class<RejectedOrder>("RejectedOrder")({
  phone: Schema.String,
  errMsg: Schema.String,
  orderID: Schema.optional(Schema.String),
  rejectedBy: RejectedBy,
  /**
   * For `rejectedBy: "request"`: the request failed in a way that leaves it
   * open whether the platform imported the order (it may have acted before
   * the answer was lost, and the lookup could not settle it). Check with
   * `listOrderDetail` before re-sending it.
   */
  maybeImported: Schema.optional(Schema.Boolean)
}) {}

const lenient = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { nullable: true })
const lenientString = Schema.optionalWith(Schema.String, { nullable: true })
const lenientList = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.optionalWith(Schema.Array(schema), { nullable: true, default: () => [] })

/**
 * An intent reached in a call. The vendor gives no field table; every field
 * but the ID may be missing.
 *
 * @since 0.1.0
 * @category models
 */
export const Intent = Schema.Struct({
  intentID: Schema.String,
  intentTag: lenient(Schema.String),
  intentName: lenient(Schema.String),
  /** Enum not documented. */
  intentLevel: lenient(Schema.Number)
})

/**
 * An SMS sent after a call.
 *
 * @since 0.1.0
 * @category models
 */
export const SmsRecord = Schema.Struct({
  smsSendTs: lenient(Schema.Number),
  sysMessageID: lenient(Schema.String),
  smsContent: lenient(Schema.String)
})

/**
 * The human-agent leg of a call transferred to an agent. Enums and units are
 * not documented.
 *
 * @since 0.1.0
 * @category models
 */
export const AgentLeg = Schema.Struct({
  agentName: lenient(Schema.String),
  agentGroup: lenient(Schema.String),
  agentCallStatus: lenient(Schema.Number),
  agentCallElapsed: lenient(Schema.Number),
  agentLabel: lenient(Schema.String),
  manualCallStart: lenient(Schema.Number),
  manualCallAnswer: lenient(Schema.Number),
  manualCallEnd: lenient(Schema.Number),
  manualHangupBy: lenient(Schema.Number)
})

/**
 * A script variable as the platform echoes it (values may be `null`).
 *
 * @since 0.1.0
 * @category models
 */
export const ParamRecord = Schema.Struct({
  name: Schema.NullOr(Schema.String),
  value: Schema.NullOr(Schema.String)
})

/**
 * One call (`callInfoDetail`): a dialling attempt of an order. Known only from
 * the vendor's JSON examples, so every field but `callID` is optional and
 * `null` reads as missing. Timestamps and durations have undocumented units
 * (seconds are likely).
 *
 * @since 0.1.0
 * @category models
 */
export const CallRecord = Schema.Struct({
  callID: Schema.String,
  /** Caller (A) number — English examples only. */
  callingNumber: lenient(Schema.String),
  /** Line IP — English examples only. */
  lineAddress: lenient(Schema.String),
  /** Enum not documented. */
  callStatus: lenient(Schema.Number),
  callStartTs: lenient(Schema.Number),
  callAnswerTs: lenient(Schema.Number),
  callEndTs: lenient(Schema.Number),
  callDuration: lenient(Schema.Number),
  callAudioUrl: lenient(Schema.String),
  hangupCause: lenient(Schema.String),
  termSipCode: lenient(Schema.String),
  intents: lenient(Schema.Array(Intent)),
  sms: lenient(Schema.Array(SmsRecord)),
  agent: lenient(AgentLeg),
  params: lenient(Schema.Array(ParamRecord)),
  /** Content not documented (Chinese `listOrderDetail` example only). */
  recordDetail: lenient(Schema.Array(Schema.Unknown))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CallRecord = typeof CallRecord.Type

/**
 * `taskOperate` of `mgrTaskStatus`: `1` start, `2` pause, `3` finish (完结).
 *
 * @since 0.1.0
 * @category models
 */
export const TaskOperate = Schema.Literal(1, 2, 3).annotations({
  identifier: "TaskOperate",
  description: "1 start, 2 pause, 3 finish"
})

/**
 * Named {@link TaskOperate} values.
 *
 * @since 0.1.0
 * @category constants
 */
export const TaskOperations = { Start: 1, Pause: 2, Finish: 3 } as const

/**
 * `delCall` of `mgrTaskStatus` and `stopOrder`: `1` deletes the data not yet
 * dialled ("use with caution"), `0` keeps it.
 *
 * @since 0.1.0
 * @category models
 */
export const DelCall = Schema.Literal(0, 1).annotations({ identifier: "DelCall" })

/**
 * A range filter of the list endpoints (`turnTime`, `callDuration`): values
 * greater than `gt` and less than `lt`, applied only when `enable` is true.
 * `enable` defaults to `true` here (why else pass the filter); `gt` / `lt`
 * are sent only when given. Units are not documented.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RangeFilter = Schema.Struct({
  gt: Schema.optional(Schema.Number),
  lt: Schema.optional(Schema.Number),
  enable: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * A rejected order in a `stopOrder` answer: `{ orderID, errMsg }` on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export const OrderError = Schema.Struct({
  orderID: Schema.String,
  errMsg: Schema.String
})

/**
 * A task in a `listTask` page (the vendor's example; `taskStat` as in the
 * task callback).
 *
 * @since 0.1.0
 * @category models
 */
export const TaskInfo = Schema.Struct({
  userTaskID: Schema.String,
  taskID: Schema.String,
  sceneID: lenientString,
  taskStatus: TaskStatus,
  /** Task creation time (unit not documented; seconds likely). */
  createTs: lenient(Schema.Number),
  taskStat: lenient(TaskStat)
})

/**
 * @since 0.1.0
 * @category models
 */
export type TaskInfo = typeof TaskInfo.Type

/**
 * An entry of a `listCall` (one per call) or `listOrder` (one per order, with
 * its **last** call) page. The vendor does not document these answers; this
 * is the shape recorded in `docs/vendor-gaps.md`, decoded leniently:
 * `callInfoDetail` is absent or `null` for an order not dialled yet.
 *
 * @since 0.1.0
 * @category models
 */
export const OrderRecord = Schema.Struct({
  orderID: Schema.String,
  userPhone: lenientString,
  userName: lenientString,
  other: lenientString,
  sceneID: lenientString,
  userTaskID: lenientString,
  taskID: lenientString,
  /** Whether the order is complete. */
  finish: lenient(Schema.Boolean),
  callInfoDetail: lenient(CallRecord)
})

/**
 * @since 0.1.0
 * @category models
 */
export type OrderRecord = typeof OrderRecord.Type

/**
 * An order with every call it produced (`listOrderDetail`).
 *
 * @since 0.1.0
 * @category models
 */
export const OrderDetail = Schema.Struct({
  orderID: Schema.String,
  userPhone: lenientString,
  userName: lenientString,
  sceneID: lenientString,
  userTaskID: lenientString,
  taskID: lenientString,
  finish: lenient(Schema.Boolean),
  other: lenientString,
  callInfoDetailList: lenientList(CallRecord)
})

/**
 * @since 0.1.0
 * @category models
 */
export type OrderDetail = typeof OrderDetail.Type

/**
 * One entry of `exportBatchCall`'s `callList` (the vendor's example). Fields
 * of the call are absent for an order not dialled yet.
 *
 * @since 0.1.0
 * @category models
 */
export const ExportedCall = Schema.Struct({
  orderID: Schema.String,
  userPhone: lenientString,
  other: lenientString,
  callID: lenientString,
  /** Enum not documented. */
  callStatus: lenient(Schema.Number),
  callStartTs: lenient(Schema.Number),
  intents: lenientList(Intent)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExportedCall = typeof ExportedCall.Type
