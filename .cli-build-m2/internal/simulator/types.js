import * as Data from "effect/Data";
import * as Redacted from "effect/Redacted";
/** Constructors of {@link ScriptedAnswer}. */
export const ScriptedAnswer = Data.taggedEnum();
/** The account the simulator knows when none is configured. */
export const testAccount = {
    uuid: "sim-0000-uuid",
    secretKey: Redacted.make("sim-secret-key")
};
