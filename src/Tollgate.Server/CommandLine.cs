namespace Tollgate.Server;

/// <summary>Short flags for the common settings: <c>--demo</c>, <c>--no-demo</c>, <c>--postgres &lt;connection string&gt;</c>, <c>--data &lt;folder&gt;</c>.</summary>
internal static class CommandLine
{
    public static string[] Normalize(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--demo":
                    result.Add("--Tollgate:Demo=true");
                    break;
                case "--no-demo":
                    result.Add("--Tollgate:Demo=false");
                    break;
                case "--postgres" when i + 1 < args.Length:
                    result.Add("--Tollgate:Storage:Provider=postgres");
                    result.Add($"--Tollgate:Storage:ConnectionString={args[++i]}");
                    break;
                case "--data" when i + 1 < args.Length:
                    result.Add($"--Tollgate:Storage:DataDirectory={args[++i]}");
                    break;
                default:
                    result.Add(args[i]);
                    break;
            }
        }

        return [.. result];
    }
}
