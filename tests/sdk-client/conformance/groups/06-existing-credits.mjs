// The credit operations Tollgate served before the management API issue: credit types, company grants, plan grants,
// leases, reservations and the v2 ledger, driven on a credit type and a company made here.

export default async function drive({ op, client, state }) {
  const data = (r) => r?.data;
  const company = data(await op("upsertCompany", () => client.companies.upsertCompany({ keys: { id: "conformance-credits" }, name: "Conformance Credits" })));
  const plan = data(await op("createPlan", () => client.plans.createPlan({ name: "Conformance credits plan", description: "Plan grants", planType: "plan" })));

  const credit = data(await op("createBillingCredit", () => client.credits.createBillingCredit({ name: "Judge tokens", description: "Tokens of the judge", currency: "usd", pluralName: "tokens", singularName: "token" })));
  await op("listBillingCredits", () => client.credits.listBillingCredits());
  await op("countBillingCredits", () => client.credits.countBillingCredits());
  if (credit) await op("getSingleBillingCredit", () => client.credits.getSingleBillingCredit(credit.id));
  if (credit) await op("updateBillingCredit", () => client.credits.updateBillingCredit(credit.id, { name: "Judge tokens", description: "Tokens (renamed)" }));

  const grant = company && credit
    ? data(await op("grantBillingCreditsToCompany", () => client.credits.grantBillingCreditsToCompany({ companyId: company.id, creditId: credit.id, quantity: 100, reason: "free" })))
    : undefined;
  if (company) await op("listCompanyCreditBalances", () => client.credits.listCompanyCreditBalances({ companyId: company.id }));
  if (company) await op("listCompanyGrants", () => client.credits.listCompanyGrants({ companyId: company.id }));
  if (company) await op("countCompanyGrants", () => client.credits.countCompanyGrants({ companyId: company.id }));
  await op("listGrantsForCredit", () => client.credits.listGrantsForCredit({ creditId: credit?.id }));
  await op("countBillingCreditsGrants", () => client.credits.countBillingCreditsGrants({ creditId: credit?.id }));

  const planGrant = plan && credit
    ? data(await op("createBillingPlanCreditGrant", () => client.credits.createBillingPlanCreditGrant({ planId: plan.id, creditId: credit.id, creditAmount: 50, resetCadence: "monthly", resetStart: "billing_period" })))
    : undefined;
  await op("listBillingPlanCreditGrants", () => client.credits.listBillingPlanCreditGrants({ planId: plan?.id }));
  await op("countBillingPlanCreditGrants", () => client.credits.countBillingPlanCreditGrants({ planId: plan?.id }));
  if (planGrant) await op("getSingleBillingPlanCreditGrant", () => client.credits.getSingleBillingPlanCreditGrant(planGrant.id));
  if (planGrant) await op("updateBillingPlanCreditGrant", () => client.credits.updateBillingPlanCreditGrant(planGrant.id, { creditAmount: 60, resetCadence: "monthly", resetStart: "billing_period" }));

  if (company && credit) {
    const lease = data(await op("acquireCreditLease", () => client.credits.acquireCreditLease({ companyId: company.id, creditTypeId: credit.id, requestedAmount: 10 })));
    if (lease) await op("extendCreditLease", () => client.credits.extendCreditLease(lease.leaseId ?? lease.id, { additionalAmount: 5 }));
    if (lease) await op("releaseCreditLease", () => client.credits.releaseCreditLease(lease.leaseId ?? lease.id));
    const reservation = data(await op("reserveCredits", () => client.credits.reserveCredits({ companyId: company.id, creditTypeId: credit.id, amount: 5 })));
    if (reservation) await op("releaseCreditReservation", () => client.credits.releaseCreditReservation(reservation.reservationId ?? reservation.id));
    await op("listCreditEventLedger", () => client.credits.listCreditEventLedger({ companyId: company.id }));
    await op("countCreditEventLedger", () => client.credits.countCreditEventLedger({ companyId: company.id }));
  }

  if (grant) await op("zeroOutGrant", () => client.credits.zeroOutGrant(grant.id, { reason: "manual" }));
  if (planGrant) await op("deleteBillingPlanCreditGrant", () => client.credits.deleteBillingPlanCreditGrant(planGrant.id));
  const spare = data(await op("createBillingCredit", () => client.credits.createBillingCredit({ name: "Judge spare", description: "Deleted by the judge", currency: "usd" })));
  if (spare) await op("softDeleteBillingCredit", () => client.credits.softDeleteBillingCredit(spare.id));

  state.conformanceCreditId = credit?.id;
  state.conformanceCreditCompanyId = company?.id;
}
