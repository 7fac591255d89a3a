namespace Tollgate.Engine.Json;

/// <summary>The fields already read in one JSON object, to reject a field written twice.</summary>
internal struct FieldSet
{
    private UInt128 _bits;

    /// <summary>Adds the field; false if it was already there.</summary>
    public bool Add(Field field)
    {
        var bit = UInt128.One << (int)field;
        if ((_bits & bit) != 0)
        {
            return false;
        }

        _bits |= bit;
        return true;
    }
}
