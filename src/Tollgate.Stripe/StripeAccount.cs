using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// One Stripe account reached with a secret key: the single place a <see cref="StripeClient"/> is made. Thread-safe;
/// the server keeps one per connected environment. Area classes (reads, meter events, sessions…) take it.
/// </summary>
public sealed class StripeAccount
{
    /// <summary>
    /// Connects with <paramref name="secretKey"/> (<c>sk_…</c> or a restricted <c>rk_…</c>). Stripe.net retries
    /// network failures, 409 and 5xx itself <paramref name="maxNetworkRetries"/> times (never 429); callers that must
    /// not lose work retry beyond that from their own durable queue.
    /// </summary>
    public StripeAccount(string secretKey, StripeEndpoints endpoints, HttpClient httpClient, int maxNetworkRetries = 2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(httpClient);
        Endpoints = endpoints;
        Client = new StripeClient(new StripeClientOptions
        {
            ApiKey = secretKey,
            ApiBase = endpoints.ApiBase,
            MeterEventsBase = endpoints.MeterEventsBase,
            HttpClient = new SystemNetHttpClient(httpClient, maxNetworkRetries, enableTelemetry: false),
        });
    }

    /// <summary>Where this account's calls go.</summary>
    public StripeEndpoints Endpoints { get; }

    /// <summary>The Stripe.net client; only this assembly touches Stripe.net types.</summary>
    internal StripeClient Client { get; }

    /// <summary>True when <paramref name="key"/> looks like a secret or restricted API key (not a publishable one).</summary>
    public static bool IsSecretKey([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? key) =>
        key is not null && (key.StartsWith("sk_test_", StringComparison.Ordinal) || key.StartsWith("sk_live_", StringComparison.Ordinal)
            || key.StartsWith("rk_test_", StringComparison.Ordinal) || key.StartsWith("rk_live_", StringComparison.Ordinal));

    /// <summary>Reads the account the key belongs to: proves the key works and names the account.</summary>
    public Task<StripeAccountInfo> CheckAsync(CancellationToken cancellationToken) =>
        StripeCallException.Wrap(async () =>
        {
            var account = await Client.V1.Accounts.GetSelfAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StripeAccountInfo(account.Id, account.BusinessProfile?.Name ?? account.Settings?.Dashboard?.DisplayName, account.Email);
        });
}

/// <summary>The Stripe account a key belongs to.</summary>
public sealed record StripeAccountInfo(string Id, string? Name, string? Email);
