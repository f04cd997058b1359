// The tests' environment (plain JavaScript, like the reporters): Node's, with console output
// held per test and shown only when that test fails. A passing run prints jest's summary, not
// the warnings and notes that synthesizing tests make the library say (src/common/warnings.ts);
// a failing test still shows everything it printed, after its failure.
// Output outside any test (a describe body, a beforeAll, an afterAll) is held too, and shown
// when a test or hook of the file failed, or the file failed to run.
const { TestEnvironment } = require('jest-environment-node');

const METHODS = ['log', 'info', 'warn', 'error', 'debug'];

class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testHeld = undefined;
    this.fileHeld = [];
    this.fileFailed = false;
    this.originals = undefined;
    this.finished = false;
  }

  async setup() {
    await super.setup();
    this.hold();
  }

  async teardown() {
    // A file that failed to run (a describe body threw) never finishes: show what it said.
    if (!this.finished) this.replay(this.fileHeld, 'console output of a file that failed to run');
    this.release();
    await super.teardown();
  }

  async handleTestEvent(event) {
    switch (event.name) {
      case 'test_start':
        this.testHeld = [];
        break;
      case 'test_done':
        if (event.test.errors.length > 0) {
          this.fileFailed = true;
          this.replay(this.testHeld, `console output of the failed test "${event.test.name}"`);
        }
        this.testHeld = undefined;
        break;
      case 'hook_failure':
        this.fileFailed = true;
        break;
      case 'run_finish':
        if (this.fileFailed) this.replay(this.fileHeld, 'console output outside the tests of a file with a failure');
        this.finished = true;
        break;
    }
  }

  /** Replaces the console's methods (jest's console for this file) with ones that keep their calls. */
  hold() {
    const console = this.global.console;
    this.originals = Object.fromEntries(METHODS.map(method => [method, console[method]]));
    for (const method of METHODS) {
      console[method] = (...args) => (this.testHeld ?? this.fileHeld).push({ method, args });
    }
  }

  release() {
    if (this.originals) Object.assign(this.global.console, this.originals);
    this.originals = undefined;
  }

  replay(calls, title) {
    if (!this.originals || calls.length === 0) return;
    this.originals.log.call(this.global.console, `${title}:`);
    for (const { method, args } of calls) this.originals[method].apply(this.global.console, args);
  }
}

module.exports = QuietEnvironment;
