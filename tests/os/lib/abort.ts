// The test programs' abort is the components' (sdk/lib/abort.ts, asc --use
// abort=sdk/lib/abort/abort): importing this file brings it in.

export { abort } from "../../../sdk/lib/abort";
