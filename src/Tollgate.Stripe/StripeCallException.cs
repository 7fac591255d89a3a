using System.Net;
using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// A Stripe call that failed, in plain terms: the HTTP status (null when Stripe was not reached), Stripe's error type,
/// code and message, and whether trying again later may succeed (429, 5xx, 409 lock contention, network failures).
/// </summary>
public sealed class StripeCallException : Exception
{
    /// <summary>Creates one.</summary>
    public StripeCallException(string message, HttpStatusCode? status, string? errorType, string? errorCode, string? param, bool retryable, TimeSpan? retryAfter, Exception? inner)
        : base(message, inner)
    {
        Status = status;
        ErrorType = errorType;
        ErrorCode = errorCode;
        Param = param;
        Retryable = retryable;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status, or null when no answer came (connection refused, timeout).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>Stripe's error type (<c>invalid_request_error</c>, <c>api_error</c>, <c>rate_limit_error</c>…).</summary>
    public string? ErrorType { get; }

    /// <summary>Stripe's error code (<c>resource_missing</c>…), when given.</summary>
    public string? ErrorCode { get; }

    /// <summary>The request parameter Stripe blamed, when given.</summary>
    public string? Param { get; }

    /// <summary>True when the same call may succeed later: rate limited, Stripe-side failure, or no answer.</summary>
    public bool Retryable { get; }

    /// <summary>How long Stripe asked to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when Stripe answered that the object does not exist.</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    /// <summary>Runs one Stripe call and turns its failures into <see cref="StripeCallException"/>.</summary>
    internal static async Task<T> Wrap<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StripeException e)
        {
            throw From(e);
        }
        catch (HttpRequestException e)
        {
            throw new StripeCallException($"Stripe was not reached: {e.Message}", null, null, null, null, retryable: true, null, e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new StripeCallException("Stripe did not answer in time", null, null, null, null, retryable: true, null, e);
        }
    }

    private static StripeCallException From(StripeException e)
    {
        var status = e.HttpStatusCode == 0 ? (HttpStatusCode?)null : e.HttpStatusCode;
        var code = (int?)status;
        var retryable = status is null || code == 429 || code == 409 || code >= 500;
        TimeSpan? retryAfter = null;
        if (e.StripeResponse?.Headers is { } headers && headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            retryAfter = TimeSpan.FromSeconds(seconds);
        }

        var message = e.StripeError?.Message ?? e.Message;
        return new StripeCallException(message, status, e.StripeError?.Type, e.StripeError?.Code, e.StripeError?.Param, retryable, retryAfter, e);
    }
}
