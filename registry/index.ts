/**
 * cairn's local model registry, for Lambda handlers and scripts: `import type { HandlerRegistry } from 'cairn/registry'`
 * types `context.registry` in a handler; `Registry` works on an open store (`Store.open($CAIRN_HOME/cairn.db).db`).
 */
export { Registry, verifyPackage } from './registry.js';
export type { RegistrationContext } from './registry.js';
export type { HandlerRegistry } from './handler-registry.js';
export { modelPackageArn, readPackageRequest } from './request.js';
export { comparePackages, packageLineage, statisticsMetrics } from './views.js';
export type { Approval, ApprovalStatus, GroupSummary, ModelPackage, Registered } from './types.js';
