using Tollgate.Server.Requests;

namespace Tollgate.Server.Credits;

/// <summary>The rollover and auto top-up settings of a plan credit grant, validated; a field left out keeps its value.</summary>
internal static class PlanGrantSettings
{
    private static readonly (string, string)[] Availabilities = [("off", "off"), ("automatic", "automatic"), ("user_controlled", "user_controlled")];

    public static PlanCreditGrantRecord Apply(PlanCreditGrantRecord record, PlanCreditGrantRequest request, PlanCreditGrantRecord? before)
    {
        var rollover = request.RolloverPercentage ?? before?.RolloverPercentage ?? 0;
        if (rollover is < 0 or > 100 || !double.IsFinite(rollover))
        {
            Errors.BadRequest("rollover_percentage", "must be a number from 0 to 100");
        }

        // auto_topup_enabled is derived from the availability; a client that only sends the flag means "automatic".
        var availability = request.AutoTopupAvailability is { } given
            ? Validate.OneOf(given, "auto_topup_availability", Availabilities)
            : request.AutoTopupEnabled is { } enabled ? (enabled ? "automatic" : "off") : before?.AutoTopupAvailability ?? "off";
        var amount = request.AutoTopupAmount ?? before?.AutoTopupAmount;
        var thresholdCredits = request.AutoTopupThresholdCredits ?? before?.AutoTopupThresholdCredits;
        var thresholdPercent = request.AutoTopupThresholdPercent ?? before?.AutoTopupThresholdPercent;
        if (amount is { } a && (a <= 0 || !double.IsFinite(a)))
        {
            Errors.BadRequest("auto_topup_amount", "must be a finite number > 0");
        }

        if (thresholdCredits is { } c && (c < 0 || !double.IsFinite(c)))
        {
            Errors.BadRequest("auto_topup_threshold_credits", "must be a finite number ≥ 0");
        }

        if (thresholdPercent is { } p && (p is < 0 or > 100 || !double.IsFinite(p)))
        {
            Errors.BadRequest("auto_topup_threshold_percent", "must be a number from 0 to 100");
        }

        if (availability != "off" && (amount is null || (thresholdCredits is null && thresholdPercent is null)))
        {
            Errors.BadRequest("auto_topup_amount", "auto top-up needs auto_topup_amount and auto_topup_threshold_credits (or auto_topup_threshold_percent)");
        }

        var expiryType = request.AutoTopupExpiryType is null ? before?.AutoTopupExpiryType : Validate.OneOf(request.AutoTopupExpiryType, "auto_topup_expiry_type", GrantExpiry.Types);
        if (expiryType == "end_of_trial")
        {
            Errors.BadRequest("auto_topup_expiry_type", "end_of_trial is not supported");
        }

        var unitCount = request.AutoTopupExpiryUnitCount ?? before?.AutoTopupExpiryUnitCount;
        if (unitCount is < 1 || (expiryType == "duration" && unitCount is null))
        {
            Errors.BadRequest("auto_topup_expiry_unit_count", "must be at least 1 (required when auto_topup_expiry_type is duration)");
        }

        return record with
        {
            RolloverPercentage = rollover,
            AutoTopupAvailability = availability,
            AutoTopupEnabled = availability != "off",
            AutoTopupSelfService = availability == "user_controlled",
            AutoTopupAmount = amount,
            AutoTopupAmountType = request.AutoTopupAmountType is null ? before?.AutoTopupAmountType ?? (amount is null ? null : "credit")
                : Validate.OneOf(request.AutoTopupAmountType, "auto_topup_amount_type", ("credit", "credit")),
            AutoTopupThresholdCredits = thresholdCredits,
            AutoTopupThresholdPercent = thresholdPercent,
            AutoTopupExpiryType = expiryType,
            AutoTopupExpiryUnit = request.AutoTopupExpiryUnit is null ? before?.AutoTopupExpiryUnit : Validate.OneOf(request.AutoTopupExpiryUnit, "auto_topup_expiry_unit", GrantExpiry.Units),
            AutoTopupExpiryUnitCount = unitCount,
            CanBuyBundles = request.CanBuyBundles ?? before?.CanBuyBundles ?? false,
        };
    }

    /// <summary>The balance under which a top-up is due: the credits threshold, else the percentage of the grant's credits.</summary>
    public static double? Threshold(PlanCreditGrantRecord grant) =>
        grant.AutoTopupThresholdCredits ?? (grant.AutoTopupThresholdPercent is { } percent ? grant.CreditAmount * percent / 100 : null);
}
