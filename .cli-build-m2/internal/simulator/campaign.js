/** The default intents: levels 1 (A) to 4 (D). */
export const defaultIntents = [
    { intentID: "1001", intentTag: "A", intentName: "Interested", intentLevel: 1 },
    { intentID: "1002", intentTag: "B", intentName: "Call back later", intentLevel: 2 },
    { intentID: "1003", intentTag: "C", intentName: "Not interested", intentLevel: 3 },
    { intentID: "1004", intentTag: "D", intentName: "Wrong number", intentLevel: 4 }
];
/** Fills in the defaults of a campaign. */
export const resolve = (campaign) => {
    const intents = campaign.intents !== undefined && campaign.intents.length > 0 ? campaign.intents : defaultIntents;
    const answerRate = Math.max(0, Math.min(1, campaign.answerRate ?? 0.6));
    const failureRate = Math.max(0, Math.min(1 - answerRate, campaign.failureRate ?? 0.05));
    const ringRange = campaign.ringSeconds ?? [2, 10];
    const talkRange = campaign.talkSeconds ?? [15, 120];
    const failedSeconds = Math.max(1, campaign.failedSeconds ?? 2);
    const redialDelayMs = Math.max(0, campaign.redialDelaySeconds ?? 30) * 1000;
    const callingNumber = campaign.callingNumber ?? "8675500000000";
    const lineAddress = campaign.lineAddress ?? "10.0.0.1";
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
    };
};
