namespace Tollgate.FakeStripe;

/// <summary>How <see cref="WebhookSender"/> signs a delivery.</summary>
public enum WebhookSignature
{
    /// <summary>As Stripe does: <c>t=now,v1=HMAC-SHA256(secret, "{t}.{payload}")</c>.</summary>
    Valid,

    /// <summary>Signed with another secret.</summary>
    WrongSecret,

    /// <summary>Signed correctly, then one byte of the body is changed in transit.</summary>
    TamperedBody,

    /// <summary>Valid signature over a timestamp older than the 300 s tolerance.</summary>
    Stale,

    /// <summary>Valid signature over a timestamp further than the tolerance in the future.</summary>
    FromTheFuture,

    /// <summary>A header without <c>t=</c>/<c>v1=</c> pairs.</summary>
    Malformed,

    /// <summary>No <c>Stripe-Signature</c> header at all.</summary>
    Missing,
}
