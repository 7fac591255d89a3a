namespace Tollgate.Server.Audit;

/// <summary>Registers the audit area.</summary>
internal static class AuditServiceCollectionExtensions
{
    /// <summary>Adds the audit log.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        return services;
    }
}
