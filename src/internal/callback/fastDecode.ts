/**
 * The common case of decoding a task callback, answered without the Schema:
 * a JSON object whose every field has exactly the type `TaskCallback`'s
 * schema asks for (`callbackType` and `taskStatus` safe integers, the ids
 * strings, `createTs` and the seven `taskStat` counts numbers). Anything
 * else — a numeric `callbackType` string, a missing or mistyped field — is
 * left to the Schema, which also words the errors. Property-tested against
 * the Schema (`test/internal/callback/fastDecode.test.ts`).
 *
 * @internal
 */
import { TaskCallback } from "./models.js"

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** An own field of `record` (the Schema reads own fields only). */
const own = (record: Readonly<Record<string, unknown>>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined

const isSafeInteger = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u)
const isNumber = (u: unknown): u is number => typeof u === "number"
const isString = (u: unknown): u is string => typeof u === "string"

/** `taskStat` as the `TaskStat` struct decodes it (its seven fields only), or `undefined`. */
const taskStat = (u: unknown) => {
  if (!isRecord(u)) return undefined
  const answerOrderCount = own(u, "answerOrderCount")
  const finishOrderCount = own(u, "finishOrderCount")
  const totalOrderCount = own(u, "totalOrderCount")
  const finishRate = own(u, "finishRate")
  const totalAnswerCall = own(u, "totalAnswerCall")
  const totalCall = own(u, "totalCall")
  const answerRate = own(u, "answerRate")
  return isNumber(answerOrderCount) && isNumber(finishOrderCount) && isNumber(totalOrderCount) &&
      isNumber(finishRate) && isNumber(totalAnswerCall) && isNumber(totalCall) && isNumber(answerRate)
    ? { answerOrderCount, finishOrderCount, totalOrderCount, finishRate, totalAnswerCall, totalCall, answerRate }
    : undefined
}

/**
 * `json` as a {@link TaskCallback} when it is well-formed, exactly as the
 * Schema would decode it; `undefined` when the Schema must decide.
 *
 * @internal
 */
export const decodeTask = (json: unknown): TaskCallback | undefined => {
  if (!isRecord(json)) return undefined
  const callbackType = own(json, "callbackType")
  const userTaskID = own(json, "userTaskID")
  const taskID = own(json, "taskID")
  const sceneID = own(json, "sceneID")
  const taskStatus = own(json, "taskStatus")
  const createTs = own(json, "createTs")
  if (
    !isSafeInteger(callbackType) || !isString(userTaskID) || !isString(taskID) || !isString(sceneID) ||
    !isSafeInteger(taskStatus) || !isNumber(createTs)
  ) return undefined
  const stat = taskStat(own(json, "taskStat"))
  if (stat === undefined) return undefined
  // Validated above, as the Schema's class transformation constructs it.
  return new TaskCallback({ callbackType, userTaskID, taskID, sceneID, taskStatus, createTs, taskStat: stat }, true)
}
