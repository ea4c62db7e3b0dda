#!/usr/bin/env node
/**
 * The `callbot` executable.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { main } from "./main.js"

NodeRuntime.runMain(main(process.argv), { disableErrorReporting: true, disablePrettyLogger: true })
