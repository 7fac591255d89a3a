// Credit bundles, spend policies and the v1 ledger; catalogs; data exports. Everything is made here (a credit type,
// a company, bundles, a catalog of the demo's plans) and what is deleted is only what this group made.

export default async function drive({ op, client, state }) {
  const data = (r) => r?.data;
  const company = data(await op("upsertCompany", () => client.companies.upsertCompany({ keys: { id: "conformance-bundles" }, name: "Conformance Bundles" })));
  const credit = data(await op("createBillingCredit", () => client.credits.createBillingCredit({ name: "Bundle tokens", description: "Tokens sold in bundles", currency: "usd" })));
  const plans = data(await client.plans.listPlans({}).catch(() => undefined)) ?? [];
  const plan = plans.find((p) => p.planType === "plan") ?? plans[0];
  const addOn = plans.find((p) => p.planType === "add_on");

  // Credit bundles.
  const bundle = credit
    ? data(await op("createCreditBundle", () => client.credits.createCreditBundle({
        bundleName: "Judge pack", creditId: credit.id, currency: "usd", pricePerUnit: 2, quantity: 100, expiryType: "duration", expiryUnit: "days", expiryUnitCount: 30,
        currencyPrices: [{ currency: "eur", pricePerUnit: 2 }],
      })))
    : undefined;
  await op("listCreditBundles", () => client.credits.listCreditBundles({ creditId: credit?.id, status: "active" }));
  await op("countCreditBundles", () => client.credits.countCreditBundles({ creditId: credit?.id }));
  if (bundle) await op("getCreditBundle", () => client.credits.getCreditBundle(bundle.id));
  if (bundle) await op("updateCreditBundleDetails", () => client.credits.updateCreditBundleDetails(bundle.id, { bundleName: "Judge pack (renamed)", pricePerUnit: 1.5, quantity: 120 }));
  const spareBundle = credit
    ? data(await op("createCreditBundle", () => client.credits.createCreditBundle({ bundleName: "Judge spare pack", creditId: credit.id, currency: "usd", pricePerUnit: 1 })))
    : undefined;
  if (spareBundle) await op("deleteCreditBundle", () => client.credits.deleteCreditBundle(spareBundle.id));

  // Spend policies.
  const policy = company && credit
    ? data(await op("createCreditSpendPolicy", () => client.credits.createCreditSpendPolicy({ billingCreditId: credit.id, companyId: company.id, maxPerDraw: 25, label: "Judge cap" })))
    : undefined;
  await op("listCreditSpendPolicies", () => client.credits.listCreditSpendPolicies({ billingCreditId: credit?.id, scopeType: "company" }));
  await op("countCreditSpendPolicies", () => client.credits.countCreditSpendPolicies({ companyId: company?.id }));
  if (policy) await op("getCreditSpendPolicy", () => client.credits.getCreditSpendPolicy(policy.id));
  if (policy) await op("updateCreditSpendPolicy", () => client.credits.updateCreditSpendPolicy(policy.id, { maxPerDraw: 30 }));
  if (policy) await op("deleteCreditSpendPolicy", () => client.credits.deleteCreditSpendPolicy(policy.id));

  // The v1 ledger (its answer is untyped in the SDK: void).
  await op("getCreditLedger", () => client.getCreditLedger());

  // Catalogs.
  const catalog = data(await op("createCatalog", () => client.catalogs.createCatalog({ name: "Judge catalog", description: "Made by the judge" })));
  await op("listCatalogs", () => client.catalogs.listCatalogs({ q: "Judge" }));
  if (catalog) {
    await op("getCatalog", () => client.catalogs.getCatalog(catalog.id));
    await op("updateCatalog", () => client.catalogs.updateCatalog(catalog.id, { name: "Judge catalog (renamed)" }));
    if (plan) await op("addPlan", () => client.catalogs.addPlan(catalog.id, plan.id));
    if (addOn) await op("addPlan", () => client.catalogs.addPlan(catalog.id, addOn.id));
    await op("getPlansInCatalog", () => client.catalogs.getPlansInCatalog(catalog.id));
    if (bundle) await op("addCreditBundle", () => client.catalogs.addCreditBundle(catalog.id, bundle.id));
    await op("getCreditBundlesInCatalog", () => client.catalogs.getCreditBundlesInCatalog(catalog.id));
    await op("getDerivedFeatures", () => client.catalogs.getDerivedFeatures(catalog.id));
    await op("updateConfiguration", () => client.catalogs.updateConfiguration(catalog.id, {
      orderedPlans: plan ? [{ planId: plan.id }] : [],
      orderedAddOns: addOn ? [{ planId: addOn.id }] : [],
      orderedBundles: bundle ? [{ bundleId: bundle.id }] : [],
      pricingUrl: "https://example.com/pricing",
      customPlansVisible: false,
    }));
    await op("getConfiguration", () => client.catalogs.getConfiguration(catalog.id));
    if (bundle) await op("removeCreditBundle", () => client.catalogs.removeCreditBundle(catalog.id, bundle.id));
    if (addOn) await op("removePlan", () => client.catalogs.removePlan(catalog.id, addOn.id));
    if (plan) await op("removePlan", () => client.catalogs.removePlan(catalog.id, plan.id));
    await op("deleteCatalog", () => client.catalogs.deleteCatalog(catalog.id));
  }

  // Data exports: made in the background; the artifact is read once the export has succeeded.
  const exported = data(await op("createDataExport", () => client.dataexports.createDataExport({ exportType: "company-feature-usage", outputFileType: "csv" })));
  await op("listDataExports", () => client.dataexports.listDataExports({ exportType: "company-feature-usage" }));
  if (exported) {
    let current = exported;
    for (let i = 0; i < 100 && current?.status === "pending"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = data(await op("getDataExport", () => client.dataexports.getDataExport(exported.id)));
    }
    await op("getDataExport", () => client.dataexports.getDataExport(exported.id));
    await op("getDataExportArtifact", () => client.dataexports.getDataExportArtifact(exported.id));
  }

  state.conformanceBundleId = bundle?.id;
}
