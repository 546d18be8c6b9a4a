import type { DelegationEvent, DelegationEventHook } from '@baton/chain-nest';

/** Where the partner API's decision log goes: one line per call. */
export type DecisionLogWriter = (line: string) => void;

/**
 * One JSON line per decision into `stream`: by default pino's asynchronous standard output, the
 * API's own log stream, so a busy API does not block on a write per call (and lines never
 * interleave with the log's).
 */
export function streamDecisionLog(stream: { write(data: string): unknown }): DecisionLogWriter {
  return (line) => {
    stream.write(`${line}\n`);
  };
}

/**
 * The `@baton/chain-nest` hook that writes every accepted and refused call as a JSON line
 * `{"type":"delegation.decision", ...}`: route, outcome, the verified chain summary or the
 * refusal code. Never the token or a proof (the event holds neither).
 */
export function decisionLogHook(write: DecisionLogWriter): DelegationEventHook {
  return (event: DelegationEvent) => {
    write(JSON.stringify({ type: 'delegation.decision', ...event }));
  };
}
