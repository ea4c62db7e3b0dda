/**
 * The task endpoints' schemas: `createAndCall`, `createTask`, `mgrTaskStatus`, `updateTask`.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Models from "../../Models.js"
import { okEnvelope } from "./common.js"

export const CreateAndCallHeader = Schema.Struct({
  productID: Models.ProductID,
  /** Yours, unique per task (a UUID is recommended); the idempotency key of the task. */
  userTaskID: Models.NonBlankString,
  /** Script template ID (portal: Script Management). */
  sceneID: Models.NonBlankString,
  taskCreateSetting: Models.TaskCreateSetting,
  funcFlag: Schema.optionalWith(Models.FuncFlag, { default: () => Models.defaultFuncFlag }),
  callInfoList: Models.CallInfoListHeader
})

export const CreateAndCallRequest = Schema.Struct({
  ...CreateAndCallHeader.fields,
  callInfoList: Models.CallInfoList
})

export const CreateAndCallResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.String,
  totalCount: Schema.Int,
  successCount: Schema.Int,
  errList: Schema.optionalWith(Schema.Array(Models.PhoneError), { default: () => [], nullable: true })
})

export const CreateTaskInputSchema = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  sceneID: Models.NonBlankString,
  /** Appears only in the vendor's createTask example; meaning not documented. Sent when given. */
  account: Schema.optional(Schema.String),
  taskCreateSetting: Models.CreateTaskSetting,
  funcFlag: Schema.optionalWith(Models.FuncFlag, { default: () => Models.defaultFuncFlag }),
  /** Pass-through value (inferred). Default `""`. */
  other: Schema.optionalWith(Schema.String, { default: () => "" }),
  /** Task-status callback URL; may be given here or in `taskCreateSetting`. */
  taskCallbackUrl: Schema.optional(Models.HttpUrl),
  /** Order callback URL (inferred from the name). Sent when given. */
  orderCallbackUrl: Schema.optional(Models.HttpUrl)
}).pipe(
  Schema.filter((input) => {
    const nested = input.taskCreateSetting.taskCallbackUrl
    if (input.taskCallbackUrl === undefined && nested === undefined) {
      return { path: ["taskCallbackUrl"], message: "is required (here or in taskCreateSetting)" }
    }
    if (input.taskCallbackUrl !== undefined && nested !== undefined && input.taskCallbackUrl !== nested) {
      return { path: ["taskCallbackUrl"], message: "differs from taskCreateSetting.taskCallbackUrl; give it once" }
    }
    return undefined
  })
)

export const SmsRuleWire = Schema.Struct({
  smsId: Schema.String,
  intentId: Schema.Array(Schema.String),
  intentName: Schema.Array(Schema.String)
})

export const CreateTaskWire = Schema.Struct({
  productID: Schema.Literal(Models.PRODUCT_ID),
  userTaskID: Schema.String,
  sceneID: Schema.String,
  account: Schema.optional(Schema.String),
  taskCreateSetting: Schema.Struct({
    strategyName: Schema.String,
    startupType: Models.StartupType,
    startupAt: Schema.Number,
    zoneSecond: Schema.Number,
    dialAtWeekDay: Schema.String,
    dialAtUpHour: Schema.String,
    dialAtDownHour: Schema.String,
    maxRingTime: Schema.Number,
    routeID: Schema.String,
    maxCall: Schema.optional(Schema.Number),
    taskName: Schema.optional(Schema.String),
    manualCallSetting: Schema.optional(Schema.typeSchema(Models.ManualCallSetting))
  }),
  funcFlag: Schema.Struct({
    taskKeep: Schema.Boolean,
    roundRedial: Schema.Boolean,
    wholeTTS: Schema.Boolean,
    smsEnable: Schema.Boolean,
    smsFuncFlag: Schema.Array(SmsRuleWire),
    phoneEncrypt: Schema.Boolean
  }),
  other: Schema.String,
  taskCallbackUrl: Schema.String,
  orderCallbackUrl: Schema.optional(Schema.String)
})

export const CreateTaskRequest = Schema.transform(CreateTaskInputSchema, CreateTaskWire, {
  strict: true,
  decode: (input) => {
    const { maxCall, taskCallbackUrl, taskName, manualCallSetting, ...setting } = input.taskCreateSetting
    return {
      productID: input.productID,
      userTaskID: input.userTaskID,
      sceneID: input.sceneID,
      ...(input.account === undefined ? {} : { account: input.account }),
      taskCreateSetting: {
        ...setting,
        ...(maxCall === undefined ? {} : { maxCall }),
        ...(taskName === undefined ? {} : { taskName }),
        ...(manualCallSetting === undefined ? {} : { manualCallSetting })
      },
      funcFlag: {
        taskKeep: input.funcFlag.taskKeep,
        roundRedial: input.funcFlag.roundRedial,
        wholeTTS: input.funcFlag.wholeTTS,
        smsEnable: input.funcFlag.smsEnable,
        smsFuncFlag: input.funcFlag.smsFuncFlag.map((rule) => ({
          smsId: rule.smsID,
          intentId: rule.intentID,
          intentName: rule.intentName
        })),
        phoneEncrypt: input.funcFlag.phoneEncrypt
      },
      other: input.other,
      taskCallbackUrl: input.taskCallbackUrl ?? taskCallbackUrl ?? "",
      ...(input.orderCallbackUrl === undefined ? {} : { orderCallbackUrl: input.orderCallbackUrl })
    }
  },
  encode: (wire) => ({
    productID: wire.productID,
    userTaskID: wire.userTaskID,
    sceneID: wire.sceneID,
    ...(wire.account === undefined ? {} : { account: wire.account }),
    taskCreateSetting: wire.taskCreateSetting,
    funcFlag: {
      ...wire.funcFlag,
      smsFuncFlag: wire.funcFlag.smsFuncFlag.map((rule) => ({
        smsID: rule.smsId,
        intentID: rule.intentId,
        intentName: rule.intentName
      }))
    },
    other: wire.other,
    taskCallbackUrl: wire.taskCallbackUrl,
    ...(wire.orderCallbackUrl === undefined ? {} : { orderCallbackUrl: wire.orderCallbackUrl })
  })
})

export const CreateTaskResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.optionalWith(Schema.String, { nullable: true })
})

export const MgrTaskStatusRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  taskOperate: Models.numberIn(Models.TaskOperate),
  delCall: Schema.optional(Models.numberIn(Models.DelCall))
})

export const MgrTaskStatusResponse = Schema.Struct({
  ...okEnvelope,
  taskID: Schema.String,
  taskStatus: Models.TaskStatus
})

export const UpdateTaskRequest = Schema.Struct({
  productID: Models.ProductID,
  userTaskID: Models.NonBlankString,
  sceneID: Models.NonBlankString,
  taskCreateSetting: Models.TaskCreateSetting,
  funcFlag: Models.FuncFlag
})

export const UpdateTaskResponse = Schema.Struct(okEnvelope)
