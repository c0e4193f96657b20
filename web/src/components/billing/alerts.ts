import type {
  AlertSettings,
  AlertSettingsUpdate,
  WebhookSecret,
} from '@server/modules/billing/balance-alerts-schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

export type { AlertSettings, AlertSettingsUpdate };

/** The most thresholds and extra addresses an account may set (the server refuses more, saying so). */
export const MAX_CUSTOM_THRESHOLDS = 3;
export const MAX_ALERT_EMAILS = 5;

const alertsKey = ['billing', 'alerts'] as const;

/** Billing > Payment Settings, balance alerts: the settings, saving them, and a new webhook secret. */
export function useBalanceAlerts() {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: alertsKey,
    queryFn: () => api.get<AlertSettings>('/api/billing/alerts'),
  });
  const save = useMutation({
    mutationFn: (update: AlertSettingsUpdate) => api.put<AlertSettings>('/api/billing/alerts', update),
    onSuccess: (answer) => client.setQueryData(alertsKey, { ...answer, webhookSecret: undefined }),
  });
  const rotate = useMutation({
    mutationFn: () => api.post<WebhookSecret>('/api/billing/alerts/webhook-secret'),
  });
  return { settings, save, rotate };
}
