using System.Collections.ObjectModel;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Credits;

/// <summary>A company's balances as the engine sees them (spec §3.3, §3.8, §3.10).</summary>
internal static class CreditView
{
    /// <summary>
    /// What is available for new holds, by credit id: what credit conditions compare the cost with. A company without
    /// credits (most) shares one empty map, as warm views hold theirs for as long as they are warm.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Balances(Dictionary<string, CreditBalance> balances) =>
        balances.Count == 0 ? ReadOnlyDictionary<string, double>.Empty : balances.ToDictionary(b => b.Key, b => b.Value.Remaining, StringComparer.Ordinal);

    /// <summary>The postpaid balances: the engine lets them go down to minus the overdraft limit (or without floor).</summary>
    public static IReadOnlyDictionary<string, CreditPostpaid> Postpaid(Dictionary<string, CreditBalance> balances) =>
        !balances.Values.Any(b => b.Postpaid) ? ReadOnlyDictionary<string, CreditPostpaid>.Empty
            : balances.Where(b => b.Value.Postpaid).ToDictionary(b => b.Key, b => new CreditPostpaid { OverdraftLimit = b.Value.OverdraftLimit }, StringComparer.Ordinal);

    /// <summary>Credit entitlements with the company's numbers: total granted, used, remaining, reserved and settled.</summary>
    public static List<FeatureEntitlement> Fill(List<FeatureEntitlement> entitlements, Dictionary<string, CreditBalance> balances)
    {
        for (var i = 0; i < entitlements.Count; i++)
        {
            if (entitlements[i] is { ValueType: EntitlementValueType.Credit, CreditId: { } creditId } e)
            {
                var b = balances.GetValueOrDefault(creditId);
                entitlements[i] = e with
                {
                    CreditTotal = b?.Total ?? 0,
                    CreditUsed = b?.Used ?? 0,
                    CreditRemaining = b?.Remaining ?? 0,
                    CreditReserved = b?.Reserved ?? 0,
                    CreditSettled = b?.Settled ?? 0,
                };
            }
        }

        return entitlements;
    }
}
