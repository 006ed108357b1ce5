// The client library: the generated bindings, plus connections by name
// that re-resolve and re-send when a server restarts, the server side of
// a name and the loop the generated protocol servers run, spawning
// with a grant written as text, the input protocol's ledger of applied
// events (the compositor's side of its exactly-once rule), the
// two-copy checkpoint that commits a change in one store, and standing
// by as init's warm spare.

export * from "../generated/index";
export { NamedConnection, RESOLVE_TIMEOUT, RESEND_LIMIT } from "./named-connection";
export { Server } from "./server";
export { Handlers, REPLY_LATER } from "./serve";
export { spawnGranted } from "./spawn";
export { InputLedger, LEDGER_INSTANCES } from "./input-ledger";
export { Checkpoints } from "./checkpoints";
export { awaitTakeOver } from "./standby";
