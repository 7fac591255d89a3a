using Tollgate.Server.Catalog;
using Tollgate.Server.PlanMigrations;

namespace Tollgate.Server.WebConsole.Versions;

/// <summary>Plan version and migration values in words, with the badge class each is shown with.</summary>
internal static class VersionWords
{
    /// <summary>How companies moved when a version was published.</summary>
    public static string Strategy(MigrationStrategy strategy) => strategy switch
    {
        MigrationStrategy.Immediate => "Companies moved at once",
        MigrationStrategy.EndOfBillingPeriod => "Companies moved at period end",
        _ => "Companies kept their version",
    };

    /// <summary>A migration strategy as the API spells it, in words.</summary>
    public static string Strategy(string strategy) => strategy switch
    {
        PlanMigrationValues.Immediate => "Immediately",
        PlanMigrationValues.EndOfBillingPeriod => "At the end of each billing period",
        PlanMigrationValues.Leave => "Companies keep their version",
        _ => strategy,
    };

    /// <summary>A migration's or a company row's status: badge class and label.</summary>
    public static (string Css, string Label) Status(string status) => status switch
    {
        PlanMigrationValues.Pending => ("info", "Pending"),
        PlanMigrationValues.InProgress => ("accent", "Running"),
        PlanMigrationValues.Completed => ("ok", "Completed"),
        PlanMigrationValues.Failed => ("bad", "Failed"),
        PlanMigrationValues.Cancelled => ("warn", "Cancelled"),
        PlanMigrationValues.Skipped => ("", "Skipped"),
        _ => ("", status),
    };

    /// <summary>A preview's entitlement value in words.</summary>
    public static string Value(EntitlementValue value) =>
        value.ValueNumeric is { } limit ? EntitlementText.Number(limit) : value.ValueType == "boolean" ? (value.ValueBool == false ? "off" : "on") : value.ValueType;
}
