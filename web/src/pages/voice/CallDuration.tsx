import { useEffect, useState } from 'react';
import { type ConsoleCall, formatDuration } from './calls';

/**
 * How long a call talked: its duration once ended; while answered, the time since it was answered,
 * counted on this screen; nothing while it rings.
 */
export function CallDuration({ call }: { call: ConsoleCall }) {
  if (call.durationSeconds !== null) return formatDuration(call.durationSeconds);
  if (call.state === 'in-progress' && call.answeredAt) return <Elapsed since={call.answeredAt} />;
  return '—';
}

function Elapsed({ since }: { since: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return <span title="Talking now">{formatDuration((now - Date.parse(since)) / 1000)}</span>;
}
