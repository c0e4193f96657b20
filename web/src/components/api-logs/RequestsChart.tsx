import { Box, ColorSwatch, Group, Text } from '@mantine/core';
import { type Bucket, type BucketUnit, bucketsOf, type StatusClass, statusClasses } from './buckets';
import type { ApiRequest } from './logs';

const colors: Record<StatusClass, string> = {
  '2xx': 'var(--mantine-color-teal-6)',
  '3xx': 'var(--mantine-color-blue-5)',
  '4xx': 'var(--mantine-color-orange-6)',
  '5xx': 'var(--mantine-color-red-7)',
};

const HEIGHT = 100;
const BAR = 10;
const GAP = 2;
/** Fewer bars than this keep their width and take part of the chart's width instead of stretching. */
const MIN_SLOTS = 40;

function label(at: Date, unit: BucketUnit) {
  if (unit === 'day') return at.toLocaleDateString();
  return at.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function describe(bucket: Bucket, unit: BucketUnit) {
  const counts = statusClasses
    .filter((statusClass) => bucket.counts[statusClass] > 0)
    .map((statusClass) => `${bucket.counts[statusClass]} × ${statusClass}`);
  return `${label(bucket.start, unit)}: ${counts.join(', ') || 'no requests'}`;
}

/** Requests of the listed page per minute, hour or day, stacked by status class, in plain SVG. */
export function RequestsChart({ requests }: { requests: ApiRequest[] }) {
  const { unit, buckets } = bucketsOf(requests);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last) return null;
  const totals = buckets.map((bucket) => statusClasses.reduce((sum, c) => sum + bucket.counts[c], 0));
  const peak = Math.max(...totals);
  const width = buckets.length * (BAR + GAP);
  const share = `${(100 * buckets.length) / Math.max(buckets.length, MIN_SLOTS)}%`;
  const present = statusClasses.filter((c) => buckets.some((bucket) => bucket.counts[c] > 0));

  return (
    <Box>
      <Group justify="space-between" mb={4}>
        <Text fz="xs" c="dimmed">
          Requests per {unit} on this page (peak {peak})
        </Text>
        <Group gap="sm">
          {present.map((statusClass) => (
            <Group key={statusClass} gap={4}>
              <ColorSwatch color={colors[statusClass]} size={10} withShadow={false} />
              <Text fz="xs">{statusClass}</Text>
            </Group>
          ))}
        </Group>
      </Group>
      <Box w={share} miw={40}>
        <svg
          viewBox={`0 0 ${width} ${HEIGHT}`}
          preserveAspectRatio="none"
          width="100%"
          height={HEIGHT}
          role="img"
          aria-label={`Requests per ${unit} by status class`}
          style={{ display: 'block' }}
        >
          {buckets.map((bucket, index) => {
            let top = HEIGHT;
            return (
              <g key={bucket.start.getTime()}>
                <title>{describe(bucket, unit)}</title>
                {statusClasses.map((statusClass) => {
                  const height = (bucket.counts[statusClass] / peak) * HEIGHT;
                  top -= height;
                  return height > 0 ? (
                    <rect
                      key={statusClass}
                      x={index * (BAR + GAP)}
                      y={top}
                      width={BAR}
                      height={height}
                      fill={colors[statusClass]}
                    />
                  ) : null;
                })}
              </g>
            );
          })}
        </svg>
      </Box>
      <Text fz="xs" c="dimmed" mt={2}>
        {label(first.start, unit)}
        {last !== first && ` – ${label(last.start, unit)}`}
      </Text>
    </Box>
  );
}
