namespace Tollgate.Server.Companies;

/// <summary>Registers the companies area: companies, users, their keys and traits, overrides and personal-data erasure.</summary>
internal static class CompaniesServiceCollectionExtensions
{
    /// <summary>Adds the companies services.</summary>
    public static IServiceCollection AddCompanies(this IServiceCollection services)
    {
        services.AddSingleton<EntityKeys>();
        services.AddSingleton<EntityWriter>();
        services.AddSingleton<EntityFilters>();
        services.AddSingleton<EntityDescriber>();
        services.AddSingleton<CompanyService>();
        services.AddSingleton<CompanyVersionMoves>();
        services.AddSingleton<UserService>();
        services.AddSingleton<OverrideService>();
        services.AddSingleton<PersonalDataEraser>();
        services.AddSingleton<CompanyMemberships>();
        services.AddSingleton<EntityKeyDefinitions>();
        services.AddSingleton<CompanyDirectoryStore>();
        services.AddSingleton<CompanyDirectoryRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<CompanyDirectoryRefresher>());
        services.AddSingleton<CompanyDirectory>();
        services.AddSingleton<CompaniesOnVersion>();
        return services;
    }
}
