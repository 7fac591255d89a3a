using System.Text;
using Tollgate.Engine.Json;

namespace Tollgate.Engine.Tests.Json;

/// <summary>Doubles written as the reference WASM (serde_json) writes them; each case observed through tests/oracle.</summary>
public sealed class RustFloatTests
{
    [Theory]
    [InlineData(3.0, "3.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100.0")]
    [InlineData(1234567.125, "1234567.125")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.2345678901234567e20, "1.2345678901234567e+20")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(1e-5, "0.00001")]
    [InlineData(0.000123, "0.000123")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(0.0, "0.0")]
    [InlineData(-2.5, "-2.5")]
    public void WritesLikeSerdeJson(double value, string expected)
    {
        var builder = new StringBuilder();
        RustFloat.Append(builder, value);
        Assert.Equal(expected, builder.ToString());
    }
}
