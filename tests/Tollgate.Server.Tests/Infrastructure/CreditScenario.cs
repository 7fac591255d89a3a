using System.Net;
using System.Text.Json;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// A credit-based pricing model built through the API in its own environment: the credit type "AI tokens", the
/// metered feature <c>ai-gen</c> (event subtype <c>ai_generation</c>), the plan Pro granting it at
/// <see cref="Rate"/> credits per use, the boolean feature <c>sso</c> on Pro, and the company <c>acme</c> on Pro.
/// </summary>
public sealed record CreditScenario(ApiClient Api, string CreditId, string FeatureId, string PlanId, string CompanyId)
{
    /// <summary>Credits per use of <c>ai-gen</c>.</summary>
    public const double Rate = 2;

    /// <summary>The company's key.</summary>
    public const string Company = "acme";

    /// <summary>Builds the model in a new environment of <paramref name="server"/>.</summary>
    public static async Task<CreditScenario> CreateAsync(TollgateFactory server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var api = await server.NewEnvironmentAsync();
        var credit = (await api.PostAsync("/billing/credits", new { name = "AI tokens", description = "Tokens for generation", currency = "usd" }))
            .ShouldBe(HttpStatusCode.Created).Id;
        var feature = await Given.EventFeatureAsync(api, "ai-gen", "ai_generation");
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var plan = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "credit", valueCreditId = credit, creditConsumptionRate = Rate });
        await Given.EntitlementAsync(api, new { planId = plan, featureId = sso, valueType = "boolean", valueBool = true });
        var company = await Given.CompanyAsync(api, Company, plan);
        return new CreditScenario(api, credit, feature, plan, company);
    }

    /// <summary>Grants credits to the company; answers the grant.</summary>
    public async Task<JsonElement> GrantAsync(double quantity, DateTimeOffset? expiresAt = null, string reason = "purchased") =>
        (await Api.PostAsync("/billing/credits/grants/company", new { companyId = CompanyId, creditId = CreditId, quantity, reason, expiresAt }))
            .ShouldBe(HttpStatusCode.Created).Data;

    /// <summary>The company's balance of the credit type (<c>{credit_id, remaining, reserved, settled, total, source}</c>).</summary>
    public async Task<JsonElement> BalanceAsync()
    {
        var balances = (await Api.GetAsync($"/billing/credits/balance?company_id={CompanyId}")).ShouldBe(HttpStatusCode.OK).Data;
        return balances.EnumerateArray().Single(b => b.GetProperty("credit_id").GetString() == CreditId);
    }

    /// <summary>The company's remaining credits.</summary>
    public async Task<double> RemainingAsync() => (await BalanceAsync()).GetProperty("remaining").GetDouble();

    /// <summary>Checks <c>ai-gen</c> for the company; answers <c>data</c>.</summary>
    public async Task<JsonElement> CheckAsync(object? preflight = null) =>
        (await Api.PostAsync("/flags/ai-gen/check", new { company = Given.Keys(Company), preflight })).ShouldBe(HttpStatusCode.OK).Data;

    /// <summary>Check-and-reserve of <c>ai-gen</c> for the company.</summary>
    public Task<ApiResponse> CheckAndReserveAsync(double? quantity = null, string? idempotencyKey = null, DateTimeOffset? expiresAt = null) =>
        Api.PostAsync("/flags/ai-gen/check-and-reserve", new { company = Given.Keys(Company), quantity, idempotencyKey, expiresAt });

    /// <summary>Reserves credits directly.</summary>
    public Task<ApiResponse> ReserveAsync(double amount, DateTimeOffset? expiresAt = null, string? idempotencyKey = null) =>
        Api.PostAsync("/billing/credits/reservations", new { companyId = CompanyId, creditTypeId = CreditId, amount, expiresAt, idempotencyKey });

    /// <summary>Burns credits now (strict).</summary>
    public Task<ApiResponse> ConsumeAsync(double amount) =>
        Api.PostAsync("/billing/credits/consume", new { companyId = CompanyId, creditTypeId = CreditId, amount });

    /// <summary>Every ledger entry of the company.</summary>
    public async Task<List<JsonElement>> LedgerAsync() =>
        [.. (await Api.GetAsync($"/v2/billing/credits/ledger?company_id={CompanyId}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()];
}
