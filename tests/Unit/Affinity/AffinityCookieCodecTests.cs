using System.Security.Cryptography;
using WsOrleans.Edge.Affinity;

namespace WsOrleans.Tests.Unit.Affinity;

public sealed class AffinityCookieCodecTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Encode_ThenDecode_GivesTheBackendAndExpiry()
    {
        var value = AffinityCookieCodec.Encode("chat", "b-2", Now.AddHours(1), Key);

        Assert.True(AffinityCookieCodec.TryDecode(value, "chat", Key, Now, out var backend, out var expires));
        Assert.Equal("b-2", backend);
        Assert.Equal(Now.AddHours(1), expires);
    }

    [Fact]
    public void Value_HoldsOnlyCookieSafeCharacters()
    {
        var value = AffinityCookieCodec.Encode("chat", "backend.with_odd-chars", Now.AddHours(1), Key);

        Assert.All(value, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.', $"'{c}' in {value}"));
    }

    [Fact]
    public void Decode_CookieOfAnotherPool_Fails()
    {
        var value = AffinityCookieCodec.Encode("chat", "a", Now.AddHours(1), Key);

        Assert.False(AffinityCookieCodec.TryDecode(value, "feed", Key, Now, out _, out _));
    }

    [Fact]
    public void Decode_CookieSignedWithAnotherKey_Fails()
    {
        var value = AffinityCookieCodec.Encode("chat", "a", Now.AddHours(1), RandomNumberGenerator.GetBytes(32));

        Assert.False(AffinityCookieCodec.TryDecode(value, "chat", Key, Now, out _, out _));
    }

    [Fact]
    public void Decode_ExpiredCookie_Fails()
    {
        var value = AffinityCookieCodec.Encode("chat", "a", Now.AddSeconds(-1), Key);

        Assert.False(AffinityCookieCodec.TryDecode(value, "chat", Key, Now, out _, out _));
    }

    [Fact]
    public void Decode_BackendSwappedInAValidCookie_Fails()
    {
        var value = AffinityCookieCodec.Encode("chat", "a", Now.AddHours(1), Key);
        var forged = Convert.ToBase64String("b"u8).TrimEnd('=') + value[value.IndexOf('.')..];

        Assert.False(AffinityCookieCodec.TryDecode(forged, "chat", Key, Now, out _, out _));
    }

    [Fact]
    public void Decode_ExpiryExtendedInAValidCookie_Fails()
    {
        var value = AffinityCookieCodec.Encode("chat", "a", Now.AddHours(1), Key);
        var parts = value.Split('.');
        var extended = $"{parts[0]}.{long.Parse(parts[1]) + 86_400}.{parts[2]}";

        Assert.False(AffinityCookieCodec.TryDecode(extended, "chat", Key, Now, out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("..")]
    [InlineData("YQ..sig")]
    [InlineData("YQ.123.")]
    [InlineData(".123.c2ln")]
    [InlineData("YQ.-5.c2lnbmF0dXJlc2lnbmF0dXJl")]
    [InlineData("YQ.99999999999999999999999.c2lnbmF0dXJlc2lnbmF0dXJl")]
    [InlineData("!!!.1796568483.c2lnbmF0dXJlc2lnbmF0dXJl")]
    [InlineData("YQ.1796568483.not*base64")]
    [InlineData("YQ.1796568483.c2ln")]
    [InlineData("/w.1796568483.AAAAAAAAAAAAAAAAAAAAAA")]
    public void Decode_MalformedValue_FailsWithoutThrowing(string? value)
    {
        Assert.False(AffinityCookieCodec.TryDecode(value, "chat", Key, Now, out _, out _));
    }

    [Fact]
    public void Decode_ValueLongerThanAnyCookieOfOurs_Fails()
    {
        Assert.False(AffinityCookieCodec.TryDecode(new string('A', 10_000) + ".1.AAAA", "chat", Key, Now, out _, out _));
    }
}
