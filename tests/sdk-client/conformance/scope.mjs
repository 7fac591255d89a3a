// Which of Schematic's operations count where.
//   "excluded":    Schematic's own SaaS plumbing, out of scope for Tollgate (account members, onboarding, quickstart,
//                  integrations, Segment, OTLP, internal checkout, licences).
//   "other-issue": in scope, but counted by their own issues: the components (and their public plans, temporary access
//                  tokens), outgoing webhooks and insights.
//   "this-issue":  everything else — the plan lifecycle and management API issue's 95%.

const excluded = [/^\/account-members/, /^\/onboarding-state/, /^\/quickstart/, /^\/integration/, /^\/segment-integration/, /^\/otlp/, /^\/checkout-internal/, /^\/licenses/];
const otherIssues = [/^\/components/, /^\/public\//, /^\/temporary-access-tokens/, /^\/webhooks/, /^\/webhook-events/, /^\/insights\//];

export function operationScopes(path) {
  if (excluded.some((p) => p.test(path))) return "excluded";
  if (otherIssues.some((p) => p.test(path))) return "other-issue";
  return "this-issue";
}
