namespace Tollgate.Scale;

/// <summary>The rows of a run of companies, by table, written in one transaction.</summary>
internal sealed class RowBatch
{
    private readonly Dictionary<BulkTable, List<object?[]>> _rows = BulkTable.All.ToDictionary(t => t, _ => new List<object?[]>());

    /// <summary>Companies in the batch.</summary>
    public int Companies { get; set; }

    public void Add(BulkTable table, params object?[] row) => _rows[table].Add(row);

    public IReadOnlyList<object?[]> RowsOf(BulkTable table) => _rows[table];

    public long RowCount => _rows.Values.Sum(r => (long)r.Count);
}
