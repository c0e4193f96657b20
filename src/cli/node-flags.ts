/**
 * The flags Node runs the server with. V8 sizes its heap when the process starts, so they go on
 * Node's command line: bin/switchboard.js's first line and `npm start` carry them, the benchmarks
 * start their servers with them, and test/start.node-flags.test.ts keeps the three the same.
 *
 * `--max-semi-space-size=1`: a young generation of 2 MB instead of up to 32 MB once grown, which
 * an idle server otherwise keeps resident; bench/gate showed no cost to throughput
 * (docs/decisions.md, "Idle memory: a small young generation").
 */
export const serverNodeFlags = ['--max-semi-space-size=1'];
