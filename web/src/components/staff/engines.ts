export type {
  EngineCreated,
  EngineDisconnectSet,
  EngineList,
  EngineView,
} from '@server/modules/billing/engine-schemas';

export const enginesKey = ['staff', 'engines'] as const;
