// The sample's backend: serves the page and mints temporary access tokens for the signed-in company with the secret
// key, which never leaves this process. Node's standard library only.
//
// Configuration (environment variables):
//   TOLLGATE_URL              where Tollgate listens (default http://localhost:5000)
//   TOLLGATE_SECRET_KEY       a secret key of the environment (required)
//   TOLLGATE_PUBLISHABLE_KEY  a publishable key of the same environment; made once through the API when left out
//   COMPANY_KEY               the `id` key of the signed-in company (default acme, a company of the demo data)
//   PORT                      where this app listens (default 3000; 0 picks a free port); HOST (default 127.0.0.1)
//
// `--setup-demo` also gives the demo data what the components draw and the demo does not have: a plan group offering
// its plans, and prices (pushed as billing products, as a billing system other than Stripe would) when a plan has none.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const tollgateUrl = (process.env.TOLLGATE_URL || "http://localhost:5000").replace(/\/+$/, "");
const secretKey = process.env.TOLLGATE_SECRET_KEY;
const defaultCompany = process.env.COMPANY_KEY || "acme";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || "127.0.0.1";

if (!secretKey) {
  console.error("TOLLGATE_SECRET_KEY is required: a secret key of the Tollgate environment (the server prints or writes one on first start).");
  process.exit(2);
}

/** Calls Tollgate with the secret key; returns the envelope's data, or throws with Tollgate's error. */
async function tollgate(method, path, body) {
  const response = await fetch(`${tollgateUrl}${path}`, {
    method,
    headers: { "X-Schematic-Api-Key": secretKey, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    const error = new Error(`${method} ${path} answered ${response.status}: ${text}`);
    error.status = response.status;
    throw error;
  }

  return text ? JSON.parse(text).data : undefined;
}

/** The browser calls Tollgate from this app's origin: Tollgate answers CORS only for origins the environment allows. */
async function allowOrigin(origin) {
  const { origins } = await tollgate("GET", "/component-origins");
  if (!origins.includes(origin)) {
    await tollgate("PUT", "/component-origins", { origins: [...origins, origin] });
  }
}

/** The publishable key the page uses: the configured one, else one made for this sample (made once per start). */
async function publishableKey() {
  if (process.env.TOLLGATE_PUBLISHABLE_KEY) {
    return process.env.TOLLGATE_PUBLISHABLE_KEY;
  }

  const created = await tollgate("POST", "/api-keys", { name: "components sample", kind: "publishable" });
  return created.key;
}

/** What the demo data lacks for the components: a plan group, and a price for each plan (Free stays free). */
async function setupDemo() {
  const plans = (await tollgate("GET", "/plans?plan_type=plan&limit=100")).filter((p) => ["Free", "Pro", "Enterprise"].includes(p.name));
  const order = ["Free", "Pro", "Enterprise"];
  plans.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const group = await tollgate("GET", "/plan-groups").catch((error) => {
    if (error.status === 404) {
      return null;
    }

    throw error;
  });
  if (!group) {
    const free = plans.find((p) => p.name === "Free");
    await tollgate("POST", "/plan-groups", {
      ordered_plans: plans.map((p) => ({ plan_id: p.id })),
      ordered_add_ons: [],
      add_on_ids: [],
      ordered_bundle_list: [],
      default_plan_id: free?.id,
    });
  }

  const monthly = { Free: 0, Pro: 4900, Enterprise: 19900 };
  for (const plan of plans) {
    if (plan.billing_strategy !== "no_billing") {
      continue;
    }

    const product = `sample_${plan.name.toLowerCase()}`;
    await tollgate("POST", "/billing/product/upsert", { external_id: product, name: plan.name, price: monthly[plan.name] / 100, is_active: true, provider_type: "schematic" });
    for (const [interval, amount] of [["month", monthly[plan.name]], ["year", monthly[plan.name] * 10]]) {
      await tollgate("POST", "/billing/price/upsert", {
        price_external_id: `${product}_${interval}`,
        product_external_id: product,
        currency: "usd",
        interval,
        usage_type: "licensed",
        billing_scheme: "per_unit",
        price: amount,
        price_tiers: [],
        is_active: true,
      });
    }
  }
}

async function page(companyKey, key) {
  const html = await readFile(join(here, "public", "index.html"), "utf8");
  // JSON in a <script type="application/json">: "<" is escaped so no value can close the element.
  const config = JSON.stringify({ tollgateUrl, publishableKey: key, companyKey }).replace(/</g, "\\u003c");
  return html.replace("__CONFIG__", config);
}

const key = await publishableKey();
const server = createServer(async (request, response) => {
  const url = new URL(request.url, "http://localhost");
  // The demo's "sign-in": ?company=<id key> acts as that company; a real app takes it from its own session.
  const companyKey = url.searchParams.get("company") || defaultCompany;
  try {
    if (request.method === "GET" && url.pathname === "/") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      response.end(await page(companyKey, key));
    } else if (request.method === "GET" && (url.pathname === "/app.js" || url.pathname === "/app.js.map")) {
      response.writeHead(200, { "Content-Type": url.pathname.endsWith(".map") ? "application/json" : "text/javascript; charset=utf-8" });
      response.end(await readFile(join(here, "public", url.pathname.slice(1))));
    } else if (request.method === "POST" && url.pathname === "/api/access-token") {
      // The token is for one company, short-lived, and may only read that company's component data and run its checkout.
      const issued = await tollgate("POST", "/temporary-access-tokens", { resource_type: "company", lookup: { id: companyKey } });
      response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      response.end(JSON.stringify({ token: issued.token, expires_at: issued.expired_at }));
    } else {
      response.writeHead(404, { "Content-Type": "text/plain" });
      response.end("not found");
    }
  } catch (error) {
    console.error(error.message);
    response.writeHead(502, { "Content-Type": "text/plain" });
    response.end(error.message);
  }
});

server.listen(port, host, async () => {
  const origin = `http://${host}:${server.address().port}`;
  try {
    await allowOrigin(origin);
    if (process.argv.includes("--setup-demo")) {
      await setupDemo();
    }
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }

  // The test fixture reads this line for the port.
  console.log(`components sample listening on ${origin}`);
});
