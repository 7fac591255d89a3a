using System.IO.Compression;
using System.Text;

namespace Tollgate.Server.DataExports;

/// <summary>
/// Writes CSV rows (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled), optionally gzipped,
/// into a buffer that is handed out in chunks of about <see cref="DataExportArtifacts.ChunkBytes"/>; the gzip stream
/// spans the chunks, so their concatenation is one valid file.
/// </summary>
internal sealed class CsvChunkWriter : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly GZipStream? _gzip;
    private readonly StreamWriter _writer;
    private bool _finished;

    public CsvChunkWriter(bool gzip)
    {
        _gzip = gzip ? new GZipStream(_buffer, CompressionLevel.Optimal, leaveOpen: true) : null;
        _writer = new StreamWriter((Stream?)_gzip ?? _buffer, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
    }

    /// <summary>Whether a full chunk is waiting.</summary>
    public bool HasFullChunk => _buffer.Length >= DataExportArtifacts.ChunkBytes;

    public void Row(params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            var field = fields[i] ?? string.Empty;
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                _writer.Write('"');
                _writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                _writer.Write('"');
            }
            else
            {
                _writer.Write(field);
            }
        }

        _writer.WriteLine();
        _writer.Flush();
    }

    /// <summary>Takes what the buffer holds.</summary>
    public byte[] TakeChunk()
    {
        var bytes = _buffer.ToArray();
        _buffer.SetLength(0);
        return bytes;
    }

    /// <summary>Ends the file (the gzip trailer) and takes the rest.</summary>
    public byte[] Finish()
    {
        // Disposing the writer flushes it into the gzip stream (left open), whose disposal writes the trailer.
        _finished = true;
        _writer.Dispose();
        _gzip?.Dispose();
        return TakeChunk();
    }

    public void Dispose()
    {
        // Once finished, the writer and the gzip stream are already disposed (a second disposal would flush into a closed stream).
        if (!_finished)
        {
            _writer.Dispose();
            _gzip?.Dispose();
        }

        _buffer.Dispose();
    }
}
