using Tollgate.Server.Requests;

namespace Tollgate.Server.Billing;

/// <summary>The billing systems Schematic names (<c>BillingProviderType</c>): Stripe, which Tollgate syncs, and the others that push.</summary>
public static class BillingProviders
{
    /// <summary>Stripe: the connector's sync writes these records.</summary>
    public const string Stripe = "stripe";

    /// <summary>The provider a push names when it names none: <c>schematic</c>, as Schematic's own upsert routes default to.</summary>
    public const string Pushed = "schematic";

    /// <summary>Every provider type on the wire.</summary>
    public static readonly IReadOnlyList<string> All = ["metronome", "orb", "schematic", "stripe"];

    /// <summary>The provider a request names (or <see cref="Pushed"/>); 400 naming the field for any other value.</summary>
    public static string Of(string? value, string field = "provider_type")
    {
        if (value is null)
        {
            return Pushed;
        }

        if (!All.Contains(value))
        {
            Errors.BadRequest(field, $"must be one of {string.Join(", ", All)}");
        }

        return value;
    }

    /// <summary>The provider of a company's billing state (null there means Stripe).</summary>
    public static string OfBilling(string? provider) => provider ?? Stripe;
}
