using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Tollgate.Server.Requests;

/// <summary>
/// The query string of a list or count request: paging, and filters read through this class, which remembers them so
/// <c>params</c> echoes the filters used (as Schematic's envelope does). Arrays come in every form the SDKs send:
/// repeated names (<c>ids=a&amp;ids=b</c>, Node), brackets (<c>ids[]=a</c>) and indices (<c>ids[0]=a</c>).
/// </summary>
internal sealed class ListQuery(HttpRequest request)
{
    /// <summary>The most values one array filter may hold.</summary>
    public const int MaxValues = Paging.MaxLimit;

    private readonly Dictionary<string, object?> _filters = new(StringComparer.Ordinal);
    private Paging? _paging;

    /// <summary><c>limit</c> and <c>offset</c>, read (and checked) on first use.</summary>
    public Paging Paging => _paging ??= Paging.From(request);

    /// <summary>The filters read so far that the request gave.</summary>
    public IReadOnlyDictionary<string, object?> Filters => _filters;

    /// <summary>The <c>params</c> of a page: paging, then the filters.</summary>
    public Dictionary<string, object?> PageParams()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["limit"] = Paging.Limit, ["offset"] = Paging.Offset };
        foreach (var (name, value) in _filters)
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>A filter given at most once; null when absent or empty.</summary>
    public string? One(string name)
    {
        var values = request.Query[name];
        if (values.Count > 1)
        {
            Errors.BadRequest(name, "give it once");
        }

        var value = Validate.Bounded(values.ToString(), name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        _filters[name] = value;
        return value;
    }

    /// <summary>An array filter: every value of <c>name</c>, <c>name[]</c> and <c>name[i]</c>, in order; empty when absent.</summary>
    public IReadOnlyList<string> Many(string name)
    {
        var values = new List<string>();
        Add(values, name, request.Query[name]);
        Add(values, name, request.Query[name + "[]"]);
        foreach (var (parameter, indexed) in request.Query)
        {
            if (parameter.Length > name.Length + 2 && parameter.StartsWith(name + "[", StringComparison.Ordinal) && parameter.EndsWith(']')
                && int.TryParse(parameter.AsSpan(name.Length + 1, parameter.Length - name.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                Add(values, name, indexed);
            }
        }

        if (values.Count > MaxValues)
        {
            Errors.BadRequest(name, $"at most {MaxValues} values");
        }

        if (values.Count > 0)
        {
            _filters[name] = values;
        }

        return values;
    }

    /// <summary>A boolean filter (<c>true</c> or <c>false</c>); null when absent.</summary>
    public bool? Bool(string name)
    {
        var text = One(name);
        if (text is null)
        {
            return null;
        }

        if (!bool.TryParse(text, out var value))
        {
            Errors.BadRequest(name, "must be true or false");
        }

        _filters[name] = value;
        return value;
    }

    private static void Add(List<string> values, string name, StringValues given)
    {
        foreach (var value in given)
        {
            if (string.IsNullOrEmpty(value))
            {
                Errors.BadRequest(name, "values must not be empty");
            }

            values.Add(Validate.Bounded(value, name)!);
        }
    }
}
