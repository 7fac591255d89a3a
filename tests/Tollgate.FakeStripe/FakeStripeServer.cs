using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;
using Tollgate.FakeStripe.Api;

namespace Tollgate.FakeStripe;

/// <summary>
/// An in-process fake of Stripe's API on Kestrel at a free 127.0.0.1 port, speaking Stripe's wire format (form-encoded
/// v1, JSON v2), with idempotency-key replay, injectable faults, a request log and an in-memory account.
/// Point Stripe.net at it with <see cref="CreateClient"/> (ApiBase and MeterEventsBase = <see cref="BaseUrl"/>).
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IdempotencyCache _idempotency = new();
    private readonly List<RecordedRequest> _requests = [];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FakeStripeAccount> _accounts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private FakeStripeServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
        Default = new FakeStripeAccount(this, "sk_test_fake", time);
        _accounts[Default.ApiKey] = Default;
    }

    /// <summary>The account of <see cref="ApiKey"/>, made with the server.</summary>
    public FakeStripeAccount Default { get; }

    /// <summary>The secret key of the default account (a key no account has gets 401).</summary>
    public string ApiKey => Default.ApiKey;

    /// <summary><c>http://127.0.0.1:{port}</c>, without a trailing slash (Stripe.net concatenates base and path).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The default account's objects, events and meter events.</summary>
    public FakeStripeStore Store => Default.Store;

    /// <summary>Queue of 429/5xx/latency faults.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>The default account's simulator of Stripe-side changes.</summary>
    public FakeStripeSimulator Simulate => Default.Simulate;

    /// <summary>Meter event session tokens, their expiry and account (v2 stream authentication).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset ExpiresAt, FakeStripeAccount Account)> MeterSessions { get; } = new(StringComparer.Ordinal);

    /// <summary>A new account with a key of its own and nothing in it.</summary>
    public FakeStripeAccount NewAccount()
    {
        var account = new FakeStripeAccount(this, $"sk_test_fake_{Guid.NewGuid():N}", _time);
        _accounts[account.ApiKey] = account;
        return account;
    }

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Starts the fake on a free loopback port.</summary>
    public static async Task<FakeStripeServer> StartAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeStripeServer(app, time ?? TimeProvider.System);
        app.Use(server.PipelineAsync);
        var routes = new StripeRoutes(app, server);
        AccountEndpoints.Map(routes);
        CatalogEndpoints.Map(routes);
        CustomerEndpoints.Map(routes);
        SubscriptionEndpoints.Map(routes);
        SubscriptionItemEndpoints.Map(routes);
        InvoiceEndpoints.Map(routes);
        MeterEndpoints.Map(routes);
        SessionEndpoints.Map(routes);
        EventEndpoints.Map(routes);
        InvoicePreviewEndpoints.Map(routes);
        PaymentEndpoints.Map(routes);
        app.MapFallback((HttpContext ctx) => StripeRoutes.Error(new StripeApiException(
            HttpStatusCode.NotFound, "invalid_request_error", null, $"Unrecognized request URL ({ctx.Request.Method}: {ctx.Request.Path}).")));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>A Stripe.net client whose ApiBase and MeterEventsBase point at this fake.</summary>
    public StripeClient CreateClient(int maxNetworkRetries = 0, string? apiKey = null) =>
        new(new StripeClientOptions
        {
            ApiKey = apiKey ?? ApiKey,
            ApiBase = BaseUrl,
            MeterEventsBase = BaseUrl,
            HttpClient = new SystemNetHttpClient(new HttpClient(), maxNetworkRetries, enableTelemetry: false),
        });

    /// <summary>Requests to one path (and optionally method), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string path, string? method = null) =>
        [.. Requests.Where(r => r.Path == path && (method is null || r.Method == method))];

    /// <summary>
    /// <see cref="RequestsTo"/> once at least <paramref name="count"/> are recorded (waiting up to 5 s): a request is
    /// recorded after its answer has gone out, so a client can hold its answer a moment before the request is here.
    /// </summary>
    public async Task<IReadOnlyList<RecordedRequest>> RequestsToAsync(string path, string? method, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (RequestsTo(path, method).Count < count && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        return RequestsTo(path, method);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task PipelineAsync(HttpContext ctx, RequestDelegate next)
    {
        var request = ctx.Request;
        ctx.Response.Headers["Request-Id"] = StripeIds.New("req");
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync(ctx.RequestAborted);
        var parameters = StripeParams.ParseEncoded(request.QueryString.Value ?? "");
        if (body.Length > 0 && request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            if (JsonNode.Parse(body) is JsonObject json)
                foreach (var (k, v) in json) parameters[k] = v?.DeepClone();
        }
        else if (body.Length > 0)
        {
            foreach (var (k, v) in StripeParams.ParseEncoded(body)) parameters[k] = v?.DeepClone();
        }
        ctx.Items[typeof(JsonObject)] = parameters;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        bool replayed = false, faulted = false;
        FakeStripeAccount? account = null;
        try
        {
            var fault = Faults.Take(request.Method, request.Path.Value ?? "");
            if (fault is not null)
            {
                if (fault.Delay > TimeSpan.Zero) await Task.Delay(fault.Delay, ctx.RequestAborted);
                if (fault.Status is { } status)
                {
                    faulted = true;
                    await WriteFaultAsync(ctx, fault, status);
                    return;
                }
            }
            account = AccountOf(ctx, headers);
            if (account is null)
            {
                var key = headers.GetValueOrDefault("Authorization") ?? "";
                await StripeRoutes.Error(new StripeApiException(HttpStatusCode.Unauthorized, "invalid_request_error", null,
                    $"Invalid API Key provided: {key.Replace("Bearer ", "", StringComparison.Ordinal)}")).ExecuteAsync(ctx);
                return;
            }
            ctx.Items[typeof(FakeStripeAccount)] = account;
            replayed = await IdempotentAsync(ctx, headers, body, next);
        }
        finally
        {
            lock (_requests)
                _requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", body,
                    parameters, headers, ctx.Response.StatusCode, replayed, faulted, account?.ApiKey));
        }
    }

    /// <summary>The account a request's key names; the v2 stream's session token names the account that made the session.</summary>
    private FakeStripeAccount? AccountOf(HttpContext ctx, Dictionary<string, string> headers)
    {
        var bearer = headers.GetValueOrDefault("Authorization") is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? authorization["Bearer ".Length..]
            : null;
        if (bearer is null) return null;
        if (ctx.Request.Path == "/v2/billing/meter_event_stream")
            return MeterSessions.TryGetValue(bearer, out var session) ? session.Account : Default; // an unknown token is refused by the handler
        return _accounts.GetValueOrDefault(bearer);
    }

    private static async Task WriteFaultAsync(HttpContext ctx, Fault fault, int status)
    {
        if (fault.RetryAfterSeconds is { } retryAfter) ctx.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fault.ShouldRetry is { } shouldRetry) ctx.Response.Headers["Stripe-Should-Retry"] = shouldRetry ? "true" : "false";
        var error = status == 429
            ? new StripeApiException((HttpStatusCode)status, "invalid_request_error", "rate_limit",
                "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.")
            : new StripeApiException((HttpStatusCode)status, "api_error", null, "An unknown error occurred.");
        await StripeRoutes.Error(error).ExecuteAsync(ctx);
    }

    /// <summary>Runs the request, replaying or refusing it per its Idempotency-Key; returns true when replayed.</summary>
    private async Task<bool> IdempotentAsync(HttpContext ctx, Dictionary<string, string> headers, string body, RequestDelegate next)
    {
        var key = headers.GetValueOrDefault("Idempotency-Key");
        if (key is null || HttpMethods.IsGet(ctx.Request.Method))
        {
            await next(ctx);
            return false;
        }
        var scope = headers.GetValueOrDefault("Authorization") + "\n" + key;
        var fingerprint = ctx.Request.Method + " " + ctx.Request.Path + "\n" + body;
        var (entry, existing) = _idempotency.Claim(scope, fingerprint);
        ctx.Response.Headers["Idempotency-Key"] = key;
        if (existing)
        {
            if (entry.Fingerprint != fingerprint)
            {
                await StripeRoutes.Error(new StripeApiException(HttpStatusCode.BadRequest, "idempotency_error", null,
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.")).ExecuteAsync(ctx);
                return false;
            }
            if (entry.Body is null)
            {
                await StripeRoutes.Error(new StripeApiException(HttpStatusCode.Conflict, "idempotency_error", null,
                    "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " + key + ". Please try again later.")).ExecuteAsync(ctx);
                return false;
            }
            ctx.Response.StatusCode = entry.Status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.Headers["Idempotent-Replayed"] = "true";
            await ctx.Response.Body.WriteAsync(entry.Body, ctx.RequestAborted);
            return true;
        }
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next(ctx);
        }
        catch
        {
            _idempotency.Release(scope);
            throw;
        }
        finally
        {
            ctx.Response.Body = original;
        }
        // Stripe saves no idempotent result for a request that failed validation (our handlers' 4xx), so the key stays free.
        if (ctx.Response.StatusCode is >= 400 and < 500) _idempotency.Release(scope);
        else _idempotency.Complete(entry, ctx.Response.StatusCode, buffer.ToArray());
        await original.WriteAsync(buffer.ToArray(), ctx.RequestAborted);
        return false;
    }
}
