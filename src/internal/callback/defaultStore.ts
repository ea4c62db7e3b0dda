/**
 * The process-wide default replay store: one in-memory store per account
 * (`uuid`), shared by every receiver that was given no store and finds none
 * in its context — so a delivery handled at one URL is a duplicate at every
 * other URL of the same process.
 *
 * @internal
 */
import type * as ReplayStore from "../../ReplayStore.js"
import { unsafeMakeMemory } from "./memoryStore.js"

const stores = new Map<string, ReplayStore.MemoryReplayStore>()

/**
 * The default store of the account `uuid`, created on its first delivery
 * (a `Map` lookup after that).
 *
 * @internal
 */
export const defaultStoreFor = (uuid: string): ReplayStore.MemoryReplayStore => {
  let store = stores.get(uuid)
  if (store === undefined) {
    store = unsafeMakeMemory()
    stores.set(uuid, store)
  }
  return store
}
