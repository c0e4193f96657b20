import { Alert, Button, Group } from '@mantine/core';
import { useState } from 'react';

/** Saving a card in a form: busy while it saves, the gateway's refusal as the error, `onAdded` after. */
export function useCardSaving(onAdded: () => void) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (saveCard: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await saveCard();
      onAdded();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The card was not saved.');
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, save };
}

/** A card form's end: why the card was refused, and Save card. */
export function CardFormEnd({
  error,
  busy,
  disabled,
}: {
  error?: string;
  busy: boolean;
  disabled?: boolean;
}) {
  return (
    <>
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button type="submit" size="xs" loading={busy} disabled={disabled}>
          Save card
        </Button>
      </Group>
    </>
  );
}
