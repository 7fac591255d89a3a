namespace Tollgate.Server.PlanMigrations;

/// <summary>Registers plan version migrations: the store, the service, the previewer and the publish dry run, the runner and its background loop.</summary>
internal static class PlanMigrationsServiceCollectionExtensions
{
    public static IServiceCollection AddPlanMigrations(this IServiceCollection services)
    {
        services.AddOptions<PlanMigrationOptions>().BindConfiguration("Tollgate:PlanMigrations")
            .Validate(o => o.IsValid(), "Tollgate:PlanMigrations: BatchSize 1-10000, PollInterval positive, BatchPause and InlineTimeout not negative").ValidateOnStart();
        services.AddSingleton<PlanMigrationStore>();
        services.AddSingleton<PlanMigrationSignal>();
        services.AddSingleton<PlanMigrationRunner>();
        services.AddSingleton<PlanMigrationService>();
        services.AddSingleton<PlanMigrationPreviewer>();
        services.AddSingleton<PublishDryRun>();
        services.AddHostedService<PlanMigrationWorker>();
        return services;
    }
}
