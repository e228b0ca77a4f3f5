using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Tests.Unit.Admission;

public sealed class OriginRulesTests
{
    [Theory]
    [InlineData("https://Chat.Example.COM", "https://chat.example.com")]
    [InlineData("https://chat.example.com:443", "https://chat.example.com")]
    [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3000")]
    [InlineData("http://[::1]:3000", "http://[::1]:3000")]
    public void Normalize_Origin_IsTheBrowserForm(string written, string expected) =>
        Assert.Equal(expected, OriginRules.Normalize(written));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("https://a.example/path")]
    [InlineData("https://a.example#x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://a.example\\evil")]
    public void Normalize_NotAnOrigin_IsNull(string? written) =>
        Assert.Null(OriginRules.Normalize(written));
}
