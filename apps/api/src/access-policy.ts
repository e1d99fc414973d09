import type { Role } from '@triage/contracts';

export type RouteAccess = 'public' | readonly Role[];

/**
 * Who may call what, in one table. A route missing here is refused for everyone
 * (and a test fails when a registered route has no entry).
 */
export const accessPolicy: Record<string, RouteAccess> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'POST /v1/documents': ['intake', 'admin'],
  'POST /v1/hl7': ['intake', 'admin'],
  // FHIR R4: intake systems create; they and reviewers read (intake tokens only what they sent).
  'GET /fhir/metadata': 'public',
  'POST /fhir': ['intake', 'admin'],
  'POST /fhir/ServiceRequest': ['intake', 'admin'],
  'POST /fhir/DocumentReference': ['intake', 'admin'],
  'POST /fhir/Communication': ['intake', 'admin'],
  'GET /fhir/ServiceRequest/:id': ['intake', 'reviewer', 'admin'],
  'GET /fhir/ServiceRequest': ['intake', 'reviewer', 'admin'],
  'GET /fhir/Task/:id': ['intake', 'reviewer', 'admin'],
  'GET /fhir/Task': ['intake', 'reviewer', 'admin'],
  'GET /fhir/Provenance': ['intake', 'reviewer', 'admin'],
  'GET /v1/documents/:id': ['intake', 'reviewer', 'admin'],
  'GET /v1/documents/:id/provenance': ['intake', 'reviewer', 'admin'],
  'GET /v1/documents/:id/original': ['reviewer', 'admin'],
  'POST /v1/documents/:id/replay': ['admin'],
  'GET /v1/failures': ['admin'],
  'GET /v1/interface/messages': ['admin'],
  'GET /v1/audit/verify': ['auditor', 'admin'],
  'GET /v1/audit/head': ['auditor', 'admin'],
  'GET /v1/policy/pauses': ['reviewer', 'admin'],
  'POST /v1/policy/pause': ['admin'],
  'POST /v1/policy/resume': ['admin'],
  'GET /v1/review/tasks': ['reviewer', 'admin'],
  'POST /v1/review/tasks/:id/claim': ['reviewer', 'admin'],
  'POST /v1/review/tasks/:id/decision': ['reviewer', 'admin'],
  'POST /v1/review/tasks/:id/release': ['reviewer', 'admin'],
  'GET /v1/review/tasks/:id': ['reviewer', 'admin'],
  'GET /v1/review/events': ['reviewer', 'admin'],
  'GET /v1/review/stats': ['reviewer', 'admin'],
  'GET /v1/documents/:id/pages/:pageNo/image': ['reviewer', 'admin'],
  'POST /v1/review/tasks/:id/fields': ['reviewer', 'admin'],
  'POST /v1/review/tasks/:id/request-information': ['reviewer', 'admin'],
  'POST /v1/review/tasks/:id/information-received': ['reviewer', 'admin'],
  'GET /v1/documents/:id/information-request.pdf': ['reviewer', 'admin'],
  // Signing in is how a browser gets credentials; the session itself is any role's.
  'POST /v1/session': 'public',
  'GET /v1/session': ['intake', 'reviewer', 'admin', 'auditor'],
  'DELETE /v1/session': ['intake', 'reviewer', 'admin', 'auditor'],
  // The UI's files hold no data; every call they make needs the session.
  'GET /review': 'public',
  'GET /review/*': 'public',
};

export function routeKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}
