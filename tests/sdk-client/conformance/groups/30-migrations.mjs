// Plan version migrations (issue 11 item 3): a plan of its own with two companies on version 1, a version 2 published
// with "leave", then a preview, a migration that grandfathers one company, its progress, the company rows, a retry of
// the grandfathered company (ending its grandfathering), retry by error code, complete-now, and a cancelled migration.

export default async function drive({ op, client, state, realFetch, baseUrl, apiKey }) {
  const data = (r) => r?.data;
  const call = async (method, path, body) => {
    const response = await realFetch(`${baseUrl}${path}`, {
      method, headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json())?.data;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const finished = async (id) => {
    for (let i = 0; i < 200; i++) {
      const migration = await call("GET", `/plan-version-migrations/${id}`);
      if (migration && migration.status !== "pending" && migration.status !== "in_progress") return migration;
      await sleep(50);
    }
    return undefined;
  };

  const plan = data(await op("createPlan", () => client.plans.createPlan({ name: "Conformance migrations plan", description: "Migrated by the judge", planType: "plan" })));
  if (!plan) return;
  const kept = await call("POST", "/companies", { keys: { id: "conformance-migration-kept" }, name: "Grandfathered Co", base_plan_id: plan.id });
  const day = 86_400_000;
  const subscription = { id: "sub_conformance_migration", period_start: new Date(Date.now() - day).toISOString(), period_end: new Date(Date.now() + 30 * day).toISOString() };
  const moved = await call("POST", "/companies", { keys: { id: "conformance-migration-moved" }, name: "Moved Co", base_plan_id: plan.id, subscription });
  const v1 = (await call("GET", `/plans/${plan.id}/versions`))?.[0];
  const v2 = await call("POST", `/plans/${plan.id}/versions`, {});
  await call("PUT", `/plans/version/${v2?.id}/publish`, { migration_strategy: "leave" });

  await op("previewMigration", () => client.planmigrations.previewMigration({ planId: plan.id, planVersionIdTo: v2?.id, targetPlanType: "plan" }));
  const migration = data(await op("createMigration", () => client.planmigrations.createMigration({
    planId: plan.id, planVersionIdTo: v2?.id, planVersionIdsFrom: v1 ? [v1.id] : undefined, strategy: "immediate", targetPlanType: "plan",
    prorationBehavior: "create_prorations", excludedCompanyIds: kept ? [kept.id] : undefined,
  })));
  if (!migration) return;
  await finished(migration.id);
  await op("getMigration", () => client.planmigrations.getMigration(migration.id));
  await op("listMigrations", () => client.planmigrations.listMigrations({ planVersionId: v2?.id, limit: 10 }));
  await op("countMigrations", () => client.planmigrations.countMigrations({ status: "completed" }));
  const rows = data(await op("listCompanyMigrations", () => client.planmigrations.listCompanyMigrations({ migrationId: migration.id, limit: 10 })));
  await op("countCompanyMigrations", () => client.planmigrations.countCompanyMigrations({ migrationId: migration.id, status: "skipped" }));
  const skipped = rows?.find((r) => r.companyId === kept?.id || r.company_id === kept?.id);
  if (skipped) await op("retryCompanyMigration", () => client.planmigrations.retryCompanyMigration(skipped.id));
  await finished(migration.id);
  await op("retryMigration", () => client.planmigrations.retryMigration(migration.id, { errorCodes: ["transient_stripe"] }));
  await op("completeMigrationNow", () => client.planmigrations.completeMigrationNow(migration.id, { prorationBehavior: "none" }));

  // A migration of the moved company back to version 1 at the end of its billing period (30 days ahead), cancelled:
  // the scheduled move is dropped and the company stays on version 2.
  const back = data(await op("createMigration", () => client.planmigrations.createMigration({ planId: plan.id, planVersionIdTo: v1?.id, strategy: "end_of_billing_period", targetPlanType: "plan", companyIds: moved ? [moved.id] : undefined })));
  if (back) await op("cancelMigration", () => client.planmigrations.cancelMigration(back.id));

  state.conformanceMigrationId = migration.id;
}
