using Tollgate.Server.Environments;
using Tollgate.Server.Startup;

namespace Tollgate.Server.Tests.Unit;

/// <summary>A configured <c>TOLLGATE_API_KEY</c> must have at least 32 characters and an estimated 128 bits of entropy.</summary>
public sealed class ApiKeyStrengthTests
{
    [Theory]
    [InlineData("tg_sk_short_1234", "16 characters; at least 32")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "estimated entropy is 0 bits")]
    [InlineData("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "estimated entropy is 80 bits")]
    [InlineData("01234567012345670123456701234567", "estimated entropy is 96 bits")]
    [InlineData("tg_sk_with space_0123456789abcdefghij", "white space")]
    public void AWeakKeyIsRefusedNamingTheVariableAndWhatIsWrong(string key, string reason)
    {
        var refusal = Assert.Throws<StartupRefusal>(() => ApiKeyStrength.Check(key));

        Assert.StartsWith("TOLLGATE_API_KEY (Tollgate:ApiKey) is too weak: ", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a3f1c9e07b5d42e8916f0ac2d7b3e5f18c4a6d9e2b7f0315c8e4a9d6b1f7e203")] // openssl rand -hex 32
    [InlineData("q8N3xZ0vKp2Lr7Ty5Wm1Bc9Hd4Fg6Js0")] // 32 random base-62 characters
    public void ARandomKeyIsAccepted(string key)
    {
        Assert.Null(ApiKeyStrength.Weakness(key));
        Assert.True(ApiKeyStrength.EstimatedBits(key) >= ApiKeyStrength.MinimumBits);
    }

    [Fact]
    public void EveryKeyTollgateMakesMeetsTheRule()
    {
        for (var i = 0; i < 1000; i++)
        {
            var key = ApiKeySecrets.NewKey(ApiKeyKind.Secret);
            Assert.True(ApiKeyStrength.Weakness(key) is null, key);
        }
    }
}
