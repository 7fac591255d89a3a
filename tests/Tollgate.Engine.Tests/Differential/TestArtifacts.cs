namespace Tollgate.Engine.Tests.Differential;

/// <summary>Files the differential tests leave behind for inspection: generated scenarios, oracle answers, reports.</summary>
internal static class TestArtifacts
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "differential")).FullName;

    public static string Write(string fileName, IEnumerable<string> lines)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllLines(path, lines);
        return path;
    }
}
