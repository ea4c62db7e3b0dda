/**
 * `ping`: echoes `data` (answered in the ping envelope by the engine).
 */
import { Fields } from "../fields.js";
import { fail, ok } from "../state.js";
/** `ping`: answers its `data`. */
export const ping = (_uuid, body) => {
    const f = new Fields();
    const data = f.string(body, "data");
    if (f.rejection)
        return fail(f.rejection.retCode, f.rejection.retMsg);
    return ok({ data });
};
