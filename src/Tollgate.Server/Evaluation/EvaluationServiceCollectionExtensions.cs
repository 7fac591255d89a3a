namespace Tollgate.Server.Evaluation;

/// <summary>Registers the evaluation area: the in-memory views per environment and the checks answered from them.</summary>
internal static class EvaluationServiceCollectionExtensions
{
    /// <summary>Adds the evaluation services.</summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddSingleton<RuntimeRegistry>();
        services.AddSingleton<CheckService>();
        services.AddSingleton<Explain.ExplainService>();
        services.AddSingleton<Explain.SubjectSearch>();
        return services;
    }
}
