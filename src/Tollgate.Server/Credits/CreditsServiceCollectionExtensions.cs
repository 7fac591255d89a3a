namespace Tollgate.Server.Credits;

/// <summary>Registers the credits area: credit types, grants, balances, the ledger, reservations and leases.</summary>
internal static class CreditsServiceCollectionExtensions
{
    /// <summary>Adds the credits services.</summary>
    public static IServiceCollection AddCredits(this IServiceCollection services)
    {
        services.AddSingleton<CreditTypeService>();
        services.AddSingleton<PlanCreditGrantService>();
        services.AddSingleton<CreditService>();
        services.AddSingleton<LedgerService>();
        services.AddSingleton<BalanceGate>();
        services.AddSingleton<CreditReservations>();
        services.AddSingleton<CreditLeases>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<CheckAndReserveService>();
        services.AddSingleton<CreditBundleService>();
        services.AddSingleton<CreditSpendPolicyService>();
        services.AddSingleton<AutoTopUp>();
        services.AddHostedService(provider => provider.GetRequiredService<AutoTopUp>());
        return services;
    }
}
