import { Box, Stack, Text } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { CardFormEnd, useCardSaving } from '../../components/billing/card-form';

/** The parts of Stripe.js (https://js.stripe.com/v3/) this form uses. */
interface StripeJs {
  elements(): { create(type: 'card'): StripeCardElement };
  confirmCardSetup(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<{ setupIntent?: { id: string }; error?: { message?: string } }>;
}
interface StripeCardElement {
  mount(element: HTMLElement): void;
  destroy(): void;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

/** Loads Stripe.js once: card numbers go from the browser to Stripe, never to Switchboard. */
function stripeJs(): Promise<NonNullable<Window['Stripe']>> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.onload = () =>
      window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js did not load'));
    script.onerror = () =>
      reject(new Error('Stripe.js could not be reached: check the connection and try again.'));
    document.head.append(script);
  });
}

/** Adds a card with Stripe: a SetupIntent from the server, the card confirmed by Stripe.js, the result saved. */
export function StripeCardForm({ onAdded }: { onAdded: () => void }) {
  const mountPoint = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<{ stripe: StripeJs; card: StripeCardElement; clientSecret: string }>();
  const { error, setError, busy, save } = useCardSaving(onAdded);

  useEffect(() => {
    let card: StripeCardElement | undefined;
    let cancelled = false;
    (async () => {
      const setup = await api.post<{ gateway: 'stripe'; clientSecret: string; publishableKey: string }>(
        '/api/billing/payment-methods/setup',
      );
      const stripe = (await stripeJs())(setup.publishableKey);
      if (cancelled || !mountPoint.current) return;
      card = stripe.elements().create('card');
      card.mount(mountPoint.current);
      setReady({ stripe, card, clientSecret: setup.clientSecret });
    })().catch((caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
    return () => {
      cancelled = true;
      card?.destroy();
    };
  }, [setError]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    void save(async () => {
      const result = await ready.stripe.confirmCardSetup(ready.clientSecret, {
        payment_method: { card: ready.card },
      });
      if (result.error || !result.setupIntent)
        throw new Error(result.error?.message ?? 'The card was not saved.');
      await api.post('/api/billing/payment-methods', { proof: result.setupIntent.id });
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add a card">
      <Stack gap="xs" maw={520}>
        <Text fz="xs" c="dimmed">
          Card details go straight to Stripe.
        </Text>
        <Box
          ref={mountPoint}
          p="sm"
          style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4 }}
        />
        <CardFormEnd error={error} busy={busy} disabled={!ready} />
      </Stack>
    </form>
  );
}
