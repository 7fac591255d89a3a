using System.Reflection;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Usage;

/// <summary>
/// Usage never depends on Billing (issue 10, "the house"): Billing subscribes to Usage's signal and reads Usage's
/// outbox, not the other way round. Checked on every signature a Usage type declares — its base, fields (captured
/// constructor parameters and lambda closures included), properties, constructors and methods.
/// </summary>
public sealed class UsageDependencyTests
{
    [Fact]
    public void NoUsageTypeNamesABillingType()
    {
        var usageTypes = typeof(IngestionPipeline).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IngestionPipeline).Namespace)
            .ToList();
        Assert.Contains(typeof(BillableUsageCommitted), usageTypes);

        var offending = usageTypes
            .SelectMany(t => SignatureTypes(t).Where(IsBilling).Select(used => $"{t.FullName} uses {used.FullName}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(offending);
    }

    private static bool IsBilling(Type type) =>
        type.Namespace?.StartsWith("Tollgate.Server.Billing", StringComparison.Ordinal) == true
        || (type.IsGenericType && type.GetGenericArguments().Any(IsBilling))
        || (type.HasElementType && IsBilling(type.GetElementType()!));

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var field in type.GetFields(All))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(All))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }
    }
}
