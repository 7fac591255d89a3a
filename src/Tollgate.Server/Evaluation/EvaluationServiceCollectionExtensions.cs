namespace Tollgate.Server.Evaluation;

/// <summary>Registers the evaluation area: the in-memory views per environment and the checks answered from them.</summary>
internal static class EvaluationServiceCollectionExtensions
{
    /// <summary>Adds the evaluation services.</summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddOptions<Memory.MemoryOptions>().BindConfiguration("Tollgate:Memory")
            .Validate(o => o.IsValid(), $"Tollgate:Memory: WarmCompanies, WarmUsers, UsageCompanies and IdempotencyKeys must be 1-{Memory.MemoryOptions.MaxEntries}").ValidateOnStart();
        services.AddSingleton<RuntimeRegistry>();
        services.AddSingleton<CheckService>();
        services.AddSingleton<Explain.ExplainService>();
        services.AddSingleton<Explain.SubjectSearch>();
        return services;
    }
}
