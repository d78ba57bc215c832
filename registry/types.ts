import type { JsonObject } from '../kernel/json.js';

export type ApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';
export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['PendingManualApproval', 'Approved', 'Rejected'];

/** One status change of a model package (`from` undefined: the registration itself). */
export interface Approval {
  from?: ApprovalStatus;
  to: ApprovalStatus;
  /** The OS user who made the change. */
  who: string;
  /** Epoch ms. */
  at: number;
  note?: string;
}

/** A registered model package version, as kept in the store (tables model_packages and approvals). */
export interface ModelPackage {
  group: string;
  version: number;
  arn: string;
  status: ApprovalStatus;
  description?: string;
  customerMetadata: Record<string, string>;
  inferenceSpecification: JsonObject;
  modelMetrics: JsonObject;
  /** The CreateModelPackage request as resolved. */
  request: JsonObject;
  statistics?: { uri: string; sha256: string; content: string };
  modelData?: { url: string; hash: string };
  runId?: string;
  step?: string;
  createdAt: number;
  approvals: Approval[];
}

export interface GroupSummary {
  name: string;
  versions: number;
  latestVersion: number;
  /** Versions by approval status. */
  byStatus: Record<ApprovalStatus, number>;
  createdAt: number;
}

/** What a registration returns (and the RegisterModel step exposes as properties). */
export interface Registered {
  arn: string;
  version: number;
  group: string;
}
