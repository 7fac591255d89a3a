using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tollgate.Engine.Json;

/// <summary>Reads one element of a list.</summary>
internal delegate T ElementReader<out T>(ref JsonInput input);

/// <summary>
/// A forward-only reader over rules-engine JSON with the reference engine's typing rules (serde): integers must be
/// written without a fraction or exponent, explicit nulls are absent values, unknown properties are skipped. Errors
/// are <see cref="EngineInputException"/>s worded as serde words them.
/// </summary>
internal ref struct JsonInput
{
    private Utf8JsonReader _reader;

    public JsonInput(ReadOnlySpan<byte> utf8)
    {
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        Advance();
    }

    public readonly bool IsNull => _reader.TokenType == JsonTokenType.Null;

    public readonly bool AtEndObject => _reader.TokenType == JsonTokenType.EndObject;

    /// <summary>Fails unless the whole input has been read.</summary>
    public void ExpectEnd()
    {
        try
        {
            if (_reader.Read())
            {
                throw new EngineInputException("trailing characters");
            }
        }
        catch (JsonException e)
        {
            throw new EngineInputException("trailing characters", e);
        }
    }

    public void StartObject(string expected)
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            throw InvalidType(expected);
        }

        Advance();
    }

    /// <summary>
    /// Moves to the next property's value; false at the end of the object. A field written twice (in the same or the
    /// other spelling) is rejected, as serde rejects it.
    /// </summary>
    public bool NextProperty(ref FieldSet seen, out Field field)
    {
        if (!NextProperty(out field))
        {
            return false;
        }

        if (field != Field.Unknown && !seen.Add(field))
        {
            throw new EngineInputException($"duplicate field `{FieldNames.CamelName(field)}`");
        }

        return true;
    }

    /// <summary>Moves to the next property's value; false at the end of the object.</summary>
    public bool NextProperty(out Field field)
    {
        if (_reader.TokenType == JsonTokenType.EndObject)
        {
            Advance();
            field = Field.Unknown;
            return false;
        }

        field = !_reader.HasValueSequence && !_reader.ValueIsEscaped
            ? Utf8FieldTable.Lookup(_reader.ValueSpan)
            : FieldNames.Lookup(_reader.GetString());
        Advance();
        return true;
    }

    /// <summary>Moves to the next map entry's value, giving its key; false at the end of the object.</summary>
    public bool NextEntry(out string key)
    {
        if (_reader.TokenType == JsonTokenType.EndObject)
        {
            Advance();
            key = string.Empty;
            return false;
        }

        key = _reader.GetString()!;
        Advance();
        return true;
    }

    /// <summary>True when the current property name (before moving to its value) equals <paramref name="name"/>.</summary>
    public readonly bool PropertyIs(ReadOnlySpan<byte> name) => _reader.ValueTextEquals(name);

    public void SkipValue()
    {
        _reader.Skip();
        Advance();
    }

    public string ReadString()
    {
        if (_reader.TokenType != JsonTokenType.String)
        {
            throw InvalidType("a string");
        }

        var value = RecentStrings.Get(ref _reader);
        Advance();
        return value;
    }

    public string? ReadOptionalString() => SkipNull() ? null : ReadString();

    public bool ReadBool()
    {
        if (_reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            throw InvalidType("a boolean");
        }

        var value = _reader.TokenType == JsonTokenType.True;
        Advance();
        return value;
    }

    public long ReadLong()
    {
        if (_reader.TokenType != JsonTokenType.Number)
        {
            throw InvalidType("i64");
        }

        var raw = NumberText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0 || !long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new EngineInputException($"invalid type: floating point `{raw}`, expected i64");
        }

        Advance();
        return value;
    }

    public long? ReadOptionalLong() => SkipNull() ? null : ReadLong();

    public double ReadDouble()
    {
        if (_reader.TokenType != JsonTokenType.Number)
        {
            throw InvalidType("f64");
        }

        var value = _reader.GetDouble();
        Advance();
        return value;
    }

    public double? ReadOptionalDouble() => SkipNull() ? null : ReadDouble();

    public T ReadEnum<T>(EnumNames<T> names)
        where T : struct, Enum
    {
        var text = ReadString();
        return names.TryParse(text, out var value)
            ? value
            : throw new EngineInputException($"unknown variant `{text}`, expected one of {names.Expected}");
    }

    public T? ReadOptionalEnum<T>(EnumNames<T> names)
        where T : struct, Enum => SkipNull() ? null : ReadEnum(names);

    /// <summary>A JSON array; <c>null</c> reads as an empty list.</summary>
    public List<T> ReadList<T>(ElementReader<T> readElement)
    {
        var list = new List<T>();
        if (SkipNull())
        {
            return list;
        }

        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            throw InvalidType("a sequence");
        }

        Advance();
        while (_reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(readElement(ref this));
        }

        Advance();
        return list;
    }

    /// <summary>A JSON object as a map; <c>null</c> reads as an empty map.</summary>
    public Dictionary<string, T> ReadMap<T>(ElementReader<T> readValue)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        if (SkipNull())
        {
            return map;
        }

        StartObject("a map");
        while (NextEntry(out var key))
        {
            map[key] = readValue(ref this);
        }

        return map;
    }

    /// <summary>Consumes a <c>null</c> and returns true, or returns false and consumes nothing.</summary>
    public bool SkipNull()
    {
        if (_reader.TokenType != JsonTokenType.Null)
        {
            return false;
        }

        Advance();
        return true;
    }

    private readonly string NumberText() =>
        Encoding.UTF8.GetString(_reader.HasValueSequence ? _reader.ValueSequence.ToArray() : _reader.ValueSpan);

    private readonly EngineInputException InvalidType(string expected)
    {
        var found = _reader.TokenType switch
        {
            JsonTokenType.Null => "null",
            JsonTokenType.True => "boolean `true`",
            JsonTokenType.False => "boolean `false`",
            JsonTokenType.String => $"string \"{_reader.GetString()}\"",
            JsonTokenType.Number => NumberText().AsSpan().IndexOfAny('.', 'e', 'E') >= 0 ? $"floating point `{NumberText()}`" : $"integer `{NumberText()}`",
            JsonTokenType.StartArray => "sequence",
            JsonTokenType.StartObject => "map",
            _ => _reader.TokenType.ToString(),
        };
        return new EngineInputException($"invalid type: {found}, expected {expected}");
    }

    private void Advance()
    {
        try
        {
            _reader.Read();
        }
        catch (JsonException e)
        {
            throw new EngineInputException($"invalid JSON: {e.Message}", e);
        }
    }
}
