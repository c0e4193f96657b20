import { Box, Group, Text } from '@mantine/core';
import { displayMoney, parseMoney } from '../../../../src/lib/money';
import type { UsageSummary } from './usage';

const HEIGHT = 120;
const BAR = 12;
const GAP = 3;
/** Fewer bars than this keep their width and take part of the chart's width instead of stretching. */
const MIN_SLOTS = 31;

/** Every day of the range, the days without usage as zero. */
function everyDay(summary: Pick<UsageSummary, 'from' | 'to' | 'days'>) {
  const byDay = new Map(summary.days.map((day) => [day.day, day]));
  const days: { day: string; events: number; micros: bigint }[] = [];
  for (
    let at = Date.parse(`${summary.from}T00:00:00Z`);
    at <= Date.parse(`${summary.to}T00:00:00Z`);
    at += 86_400_000
  ) {
    const day = new Date(at).toISOString().slice(0, 10);
    const found = byDay.get(day);
    days.push({ day, events: Number(found?.events ?? 0), micros: parseMoney(found?.amount ?? '0') ?? 0n });
  }
  return days;
}

/** The cost of each day of the range as bars, in plain SVG (the console has no chart library). */
export function UsageChart({
  summary,
}: {
  summary: Pick<UsageSummary, 'from' | 'to' | 'timezone' | 'currency' | 'days'>;
}) {
  const days = everyDay(summary);
  // BigInt amounts: Math.max takes numbers only.
  let peak = 0n;
  for (const day of days) if (day.micros > peak) peak = day.micros;
  const show = (micros: bigint) => displayMoney({ micros, currency: summary.currency });
  const width = days.length * (BAR + GAP);
  const share = `${(100 * days.length) / Math.max(days.length, MIN_SLOTS)}%`;
  const first = days[0];
  const last = days[days.length - 1];
  return (
    <Box>
      <Group justify="space-between" mb={4}>
        <Text fz="xs" c="dimmed">
          Amount per day ({summary.timezone}), peak {show(peak)}
        </Text>
      </Group>
      <Box w={share} miw={60}>
        <svg
          viewBox={`0 0 ${width} ${HEIGHT}`}
          preserveAspectRatio="none"
          width="100%"
          height={HEIGHT}
          role="img"
          aria-label="Usage amount per day"
          style={{ display: 'block' }}
        >
          {days.map((day, index) => {
            const height = peak > 0n ? Number((day.micros * 1000n) / peak) * (HEIGHT / 1000) : 0;
            return (
              <g key={day.day} data-day={day.day}>
                <title>{`${day.day}: ${show(day.micros)}, ${day.events} events`}</title>
                <rect x={index * (BAR + GAP)} y={0} width={BAR} height={HEIGHT} fill="transparent" />
                {height > 0 && (
                  <rect
                    x={index * (BAR + GAP)}
                    y={HEIGHT - Math.max(height, 1)}
                    width={BAR}
                    height={Math.max(height, 1)}
                    fill="var(--mantine-color-blue-6)"
                  />
                )}
              </g>
            );
          })}
        </svg>
      </Box>
      {first && last && (
        <Text fz="xs" c="dimmed" mt={2}>
          {first.day}
          {last !== first && ` – ${last.day}`}
        </Text>
      )}
    </Box>
  );
}
