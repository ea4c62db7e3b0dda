/**
 * The campaign: how simulated calls go (answer rate, durations, intents, a
 * per-call override), as the user sets it and as the dialer reads it once
 * resolved with its defaults.
 */
import type * as Random from "./random.js"

/** An intent the simulated script can reach. */
export interface IntentDef {
  readonly intentID: string
  readonly intentTag: string
  readonly intentName: string
  readonly intentLevel: number
}

/** The outcome of one call, when a test wants to choose it. */
export interface CallDecision {
  readonly status: "answered" | "noAnswer" | "failed"
  /** Seconds before the callee answers (answered calls). */
  readonly ringSeconds?: number | undefined
  /** Seconds of conversation (answered calls). */
  readonly talkSeconds?: number | undefined
  /** The intent reached (answered calls); must be one of `intents`. */
  readonly intentID?: string | undefined
}

/** What {@link CampaignOptions.decideCall} is told about a call about to start. */
export interface CallContext {
  readonly userTaskID: string
  readonly orderID: string
  readonly userPhone: string
  /** 1 for the first call of the order, 2 for its redial. */
  readonly attempt: number
}

/** How calls go. Every random choice is drawn from the engine's `seed`. */
export interface CampaignOptions {
  /** Probability that a call is answered. Default `0.6`. */
  readonly answerRate?: number | undefined
  /** Probability that a call fails (`callStatus` 3). Default `0.05`. The rest are not answered (2). */
  readonly failureRate?: number | undefined
  /** Ringing before an answer, seconds. Default `[2, 10]`. */
  readonly ringSeconds?: Random.Range | undefined
  /** Conversation length of answered calls, seconds. Default `[15, 120]`. */
  readonly talkSeconds?: Random.Range | undefined
  /** Ringing of unanswered calls, seconds. Default: the task's `maxRingTime`, or 30 when that is 0. */
  readonly noAnswerSeconds?: number | undefined
  /** Length of failed calls, seconds. Default `2`. */
  readonly failedSeconds?: number | undefined
  /** Delay before the redial of an unanswered call (`roundRedial`), seconds. Default `30`. */
  readonly redialDelaySeconds?: number | undefined
  /** Intents answered calls reach (one each, uniformly). Default: four intents, levels 1–4. */
  readonly intents?: ReadonlyArray<IntentDef> | undefined
  /** Chooses a call's outcome; `undefined` leaves it to chance. */
  readonly decideCall?: ((call: CallContext) => CallDecision | undefined) | undefined
  /** `callingNumber` of every call. Default `"8675500000000"`. */
  readonly callingNumber?: string | undefined
  /** `lineAddress` of every call. Default `"10.0.0.1"`. */
  readonly lineAddress?: string | undefined
}

/** The default intents: levels 1 (A) to 4 (D). */
export const defaultIntents: ReadonlyArray<IntentDef> = [
  { intentID: "1001", intentTag: "A", intentName: "Interested", intentLevel: 1 },
  { intentID: "1002", intentTag: "B", intentName: "Call back later", intentLevel: 2 },
  { intentID: "1003", intentTag: "C", intentName: "Not interested", intentLevel: 3 },
  { intentID: "1004", intentTag: "D", intentName: "Wrong number", intentLevel: 4 }
]


/** {@link CampaignOptions} with every default filled in. */
export interface Campaign {
  readonly intents: ReadonlyArray<IntentDef>
  readonly answerRate: number
  readonly failureRate: number
  readonly ringRange: Random.Range
  readonly talkRange: Random.Range
  readonly failedSeconds: number
  readonly redialDelayMs: number
  readonly noAnswerSeconds: number | undefined
  readonly decideCall: CampaignOptions["decideCall"]
  readonly callingNumber: string
  readonly lineAddress: string
}

/** Fills in the defaults of a campaign. */
export const resolve = (campaign: CampaignOptions): Campaign => {
  const intents = campaign.intents !== undefined && campaign.intents.length > 0 ? campaign.intents : defaultIntents
  const answerRate = Math.max(0, Math.min(1, campaign.answerRate ?? 0.6))
  const failureRate = Math.max(0, Math.min(1 - answerRate, campaign.failureRate ?? 0.05))
  const ringRange = campaign.ringSeconds ?? [2, 10]
  const talkRange = campaign.talkSeconds ?? [15, 120]
  const failedSeconds = Math.max(1, campaign.failedSeconds ?? 2)
  const redialDelayMs = Math.max(0, campaign.redialDelaySeconds ?? 30) * 1000
  const callingNumber = campaign.callingNumber ?? "8675500000000"
  const lineAddress = campaign.lineAddress ?? "10.0.0.1"
  return {
    intents,
    answerRate,
    failureRate,
    ringRange,
    talkRange,
    failedSeconds,
    redialDelayMs,
    noAnswerSeconds: campaign.noAnswerSeconds,
    decideCall: campaign.decideCall,
    callingNumber,
    lineAddress
  }
}
