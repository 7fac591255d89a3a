// The page: Schematic's own components and browser SDK, pointed at Tollgate by their base-URL options.
// - The pricing table reads GET /public/plans with the publishable key.
// - The customer portal (plan manager, included and metered features, checkout dialog) reads GET /components/hydrate
//   and runs /checkout with a temporary access token that this app's backend mints for the signed-in company.
// - The usage meter and the paywall use the browser SDK (schematic-react), which keeps flag values live over the
//   WebSocket /flags/bootstrap with the publishable key.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import {
  Column,
  EmbedProvider,
  IncludedFeatures,
  MeteredFeatures,
  PlanManager,
  PricingTable,
  Viewport,
  useEmbed,
} from "@schematichq/schematic-components";
import {
  SchematicProvider,
  useSchematicContext,
  useSchematicEntitlement,
  useSchematicFlag,
  useSchematicIsPending,
} from "@schematichq/schematic-react";

// Written into the page by server.mjs: where Tollgate is, the publishable key, and who is signed in.
const config = JSON.parse(document.getElementById("config").textContent);
const apiUrl = config.tollgateUrl;
const webSocketUrl = apiUrl.replace(/^http/, "ws");

// The components' generated API clients take the base URL as `basePath`.
const apiConfig = { basePath: apiUrl };

/** The backend mints a temporary access token for the signed-in company (the secret key never reaches the browser). */
async function fetchAccessToken() {
  const response = await fetch(`/api/access-token?company=${encodeURIComponent(config.companyKey)}`, { method: "POST" });
  if (!response.ok) {
    throw new Error(`The backend could not mint an access token (${response.status}): ${await response.text()}`);
  }

  return (await response.json()).token;
}

/** The customer portal: the plan manager (with its checkout dialog), included features and usage. */
function Portal() {
  const { accessToken, setAccessToken, hydrate, stale, error } = useEmbed();
  const [tokenError, setTokenError] = useState(null);
  useEffect(() => {
    fetchAccessToken().then(setAccessToken, setTokenError);
  }, [setAccessToken]);
  useEffect(() => {
    // A checkout marks the data stale; hydrating again shows the new plan.
    if (accessToken && stale) {
      hydrate();
    }
  }, [accessToken, stale, hydrate]);

  if (tokenError || error) {
    return <p role="alert">{String((tokenError ?? error).message)}</p>;
  }

  return (
    <Viewport>
      <Column>
        <PlanManager />
      </Column>
      <Column>
        <IncludedFeatures />
        <MeteredFeatures />
      </Column>
    </Viewport>
  );
}

/** A usage meter for api-calls from the browser SDK: usage against the allocation, kept live over the WebSocket. */
function UsageMeter() {
  const entitlement = useSchematicEntitlement("api-calls");
  const pending = useSchematicIsPending();
  if (pending) {
    return <p>Loading usage…</p>;
  }

  const usage = entitlement.featureUsage ?? 0;
  const allocation = entitlement.featureAllocation;
  const label = allocation == null ? `${usage.toLocaleString("en-US")} API calls (unlimited)` : `${usage.toLocaleString("en-US")} of ${allocation.toLocaleString("en-US")} API calls`;
  return (
    <div>
      <label htmlFor="api-calls-meter">API calls this month</label>{" "}
      <meter id="api-calls-meter" data-testid="api-calls-meter" min={0} max={allocation ?? Math.max(usage, 1)} value={usage}>
        {label}
      </meter>{" "}
      <output htmlFor="api-calls-meter" data-testid="api-calls-usage">{label}</output>
    </div>
  );
}

/** A paywall: the button works only when the company's plan (or an override) grants single sign-on. */
function SsoPaywall() {
  const sso = useSchematicFlag("sso");
  const [configured, setConfigured] = useState(false);
  return (
    <div>
      <button type="button" data-testid="sso-button" disabled={!sso} onClick={() => setConfigured(true)}>
        {sso ? "Configure single sign-on" : "Single sign-on (Enterprise)"}
      </button>{" "}
      <span data-testid="sso-status">{sso ? (configured ? "SSO configured" : "SSO available") : "Upgrade to unlock SSO"}</span>
    </div>
  );
}

/** Sets the browser SDK's context to the signed-in company, which opens the WebSocket. */
function SignedInCompany({ children }) {
  const { setContext } = useSchematicContext();
  useEffect(() => {
    setContext({ company: { id: config.companyKey } });
  }, [setContext]);
  return children;
}

function App() {
  return (
    <main>
      <h1>Tollgate components sample</h1>
      <p>
        Signed in as company <strong data-testid="company-key">{config.companyKey}</strong>.
      </p>

      <SchematicProvider publishableKey={config.publishableKey} apiUrl={apiUrl} eventUrl={apiUrl} webSocketUrl={webSocketUrl}>
        <SignedInCompany>
          <section aria-labelledby="usage-heading" data-testid="usage">
            <h2 id="usage-heading">Usage</h2>
            <UsageMeter />
          </section>
          <section aria-labelledby="paywall-heading" data-testid="paywall">
            <h2 id="paywall-heading">Paywall</h2>
            <SsoPaywall />
          </section>
        </SignedInCompany>
      </SchematicProvider>

      <section aria-labelledby="portal-heading" data-testid="portal">
        <h2 id="portal-heading">Your plan</h2>
        <EmbedProvider apiConfig={apiConfig}>
          <Portal />
        </EmbedProvider>
      </section>

      <section aria-labelledby="pricing-heading" data-testid="pricing">
        <h2 id="pricing-heading">Pricing</h2>
        <EmbedProvider apiKey={config.publishableKey} apiConfig={apiConfig}>
          <PricingTable />
        </EmbedProvider>
      </section>
    </main>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
