using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Secrets;

/// <summary>
/// Data Protection for secrets Tollgate keeps on behalf of users (a Stripe API key, a webhook signing secret): the key
/// ring in the database (<see cref="DatabaseXmlRepository"/>), encrypted under the master key when one is configured.
/// </summary>
internal static class SecretProtection
{
    public static void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDataProtection().SetApplicationName("Tollgate");

        // Without a master key Data Protection warns of every key it stores unencrypted; the bootstrap says it once, with what to do.
        if (builder.Configuration["Tollgate:MasterKey"] is not { Length: > 0 })
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }

        services.AddSingleton(sp => new MasterKeyDerivation(sp.GetRequiredService<IOptions<TollgateOptions>>().Value.MasterKey));
        services.AddSingleton<MasterKeyUpgrade>();
        services.AddOptions<KeyManagementOptions>().Configure<Storage.Database, TimeProvider, MasterKeyDerivation>((options, database, time, masterKey) =>
        {
            options.XmlRepository = new DatabaseXmlRepository(database, time);
            if (masterKey.IsConfigured)
            {
                options.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey);
            }
        });
    }

    /// <summary>The protector of one kind of secret; its purpose string separates kinds.</summary>
    public static IDataProtector For(IDataProtectionProvider provider, string purpose) => provider.CreateProtector("Tollgate.Secrets." + purpose);
}
