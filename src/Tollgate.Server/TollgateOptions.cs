using Tollgate.Server.Storage;

namespace Tollgate.Server;

/// <summary>Tollgate's settings, bound from the <c>Tollgate</c> configuration section (and <c>TOLLGATE_*</c> variables).</summary>
public sealed class TollgateOptions
{
    /// <summary>Where data is kept.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>
    /// Load the demo data set on first start (an empty database). Default (null): on for embedded SQLite, off for
    /// PostgreSQL, where a database is shared and long-lived; <c>--demo</c> sets it to true, <c>--no-demo</c> to false.
    /// </summary>
    public bool? Demo { get; set; }

    /// <summary>Whether the demo data set is loaded on first start: <see cref="Demo"/>, or the default of the storage provider.</summary>
    public bool DemoEnabled => Demo ?? !Storage.IsPostgres;

    /// <summary>
    /// The secret key of the default environment on first start (environment variable <c>TOLLGATE_API_KEY</c>), so
    /// scripts can start the server non-interactively; a random key is made when absent. It must have at least 32
    /// characters and an estimated entropy of 128 bits (<see cref="Startup.ApiKeyStrength"/>), or the start is refused.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The master key (environment variable <c>TOLLGATE_MASTER_KEY</c>: 32 bytes in base64, or a passphrase) that
    /// encrypts the keys protecting stored secrets such as a Stripe API key. A passphrase goes through PBKDF2-SHA-256
    /// (<see cref="Secrets.MasterKeyDerivation"/>). Without it those keys sit in the database
    /// unencrypted, beside what they protect; set it in production, the same on every node, and keep it elsewhere.
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>The Stripe connector's settings.</summary>
    public Billing.StripeOptions Stripe { get; set; } = new();

    /// <summary>The largest request body accepted, in bytes. Default: 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;
}
