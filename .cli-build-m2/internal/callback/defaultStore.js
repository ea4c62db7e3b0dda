import { unsafeMakeMemory } from "./memoryStore.js";
const stores = new Map();
/**
 * The default store of the account `uuid`, created on its first delivery
 * (a `Map` lookup after that).
 *
 * @internal
 */
export const defaultStoreFor = (uuid) => {
    let store = stores.get(uuid);
    if (store === undefined) {
        store = unsafeMakeMemory();
        stores.set(uuid, store);
    }
    return store;
};
