using System.Text.Json.Nodes;

namespace Tollgate.Server.Components;

/// <summary>
/// What the pricing table draws (Schematic's <c>PublicPlansResponseData</c>): the plan group's plans and add-ons in its
/// order, with their prices and entitlements, and the group's display settings.
/// </summary>
internal sealed record PublicPlansResponse(
    IReadOnlyList<JsonObject> ActiveAddOns,
    IReadOnlyList<JsonObject> ActivePlans,
    IReadOnlyList<CompatiblePlansResponse> AddOnCompatibilities,
    ComponentCapabilitiesResponse Capabilities,
    ComponentDisplaySettingsResponse DisplaySettings,
    bool ShowAsMonthlyPrices,
    bool ShowCredits,
    bool ShowPeriodToggle,
    bool ShowZeroPriceAsFree);
