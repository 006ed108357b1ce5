// An input from outside the repository that a test needs is missing (the
// spec tests, say). Its message says what and how to provide it; the test
// report and the `delos` command line show that one line, never a stack
// trace. Kept apart from the harness so that tools importing it do not
// load the test framework.

export class MissingInput extends Error {}
