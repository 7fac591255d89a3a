using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Engine.Json;

/// <summary>Checks for required fields, with serde's message.</summary>
internal static class Required
{
    public static T Value<T>([NotNull] T? value, Field field)
        where T : class => value ?? throw Missing(field);

    public static T Value<T>([NotNull] T? value, Field field)
        where T : struct => value ?? throw Missing(field);

    [DoesNotReturn]
    private static EngineInputException Missing(Field field) => throw new EngineInputException($"missing field `{FieldNames.CamelName(field)}`");
}
