#!/usr/bin/env node
/**
 * The `callbot` executable.
 */
import { NodeRuntime } from "@effect/platform-node"
import { main } from "./main.js"

NodeRuntime.runMain(main(process.argv), { disableErrorReporting: true, disablePrettyLogger: true })
