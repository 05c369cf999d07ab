/**
 * @module warn/campaign-model
 * A campaign: the same indicator, source address, payload family or rule seen against several
 * organisations within a window. Vigil detects it; the centre's analysts confirm or dismiss it — or
 * policy confirms it at once — and confirming warns every organisation it may reach next.
 */
import type { AlertSeverity } from '../core/model.js';
import type { InstalledSoftware } from '../inventory/model.js';

export const campaignKeyTypes = ['indicator', 'source', 'payload', 'rule'] as const;
export type CampaignKeyType = (typeof campaignKeyTypes)[number];

export const campaignStatuses = ['detected', 'confirmed', 'dismissed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export interface Campaign {
  id: string;
  keyType: CampaignKeyType;
  keyValue: string;
  status: CampaignStatus;
  title: string;
  technique: string;
  /** The highest severity of its alerts. */
  severity: AlertSeverity;
  /** Organisations hit, in the order they were hit. */
  orgIds: string[];
  alertCount: number;
  /** What to block: the source addresses and indicators seen. */
  indicators: { type: string; value: string }[];
  /** Software of the systems hit (from the inventory), the exposure others may share. */
  software: Pick<InstalledSoftware, 'vendor' | 'product' | 'version'>[];
  firstSeen: string;
  lastSeen: string;
  detectedAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  warningId: string | null;
  /** When its warning was handed to delivery. */
  warnedAt: string | null;
}
