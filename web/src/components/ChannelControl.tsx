import { Input, SegmentedControl } from '@mantine/core';
import type { PhoneChannel } from '../session';

/** SMS or voice call: how a one-time code reaches a phone. */
export function ChannelControl({
  value,
  onChange,
  label = 'Send the code by',
}: {
  value: PhoneChannel;
  onChange: (channel: PhoneChannel) => void;
  label?: string;
}) {
  return (
    <Input.Wrapper label={label}>
      <SegmentedControl
        fullWidth
        value={value}
        onChange={(next) => onChange(next as PhoneChannel)}
        data={[
          { value: 'sms', label: 'Text message (SMS)' },
          { value: 'voice', label: 'Voice call' },
        ]}
      />
    </Input.Wrapper>
  );
}
