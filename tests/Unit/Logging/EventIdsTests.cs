using System.Reflection;
using Microsoft.Extensions.Logging;
using WsOrleans.Backends;
using WsOrleans.Edge.Admission;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;

namespace WsOrleans.Tests.Unit.Logging;

public sealed class EventIdsTests
{
    [Fact]
    public void Registry_EveryIdInItsAreasRange_NoTwoAlike()
    {
        var owners = new Dictionary<int, string>();
        var bases = new HashSet<int>();
        foreach (var area in typeof(EventIds).GetNestedTypes())
        {
            var first = Constant(area.GetField("Base")!);
            Assert.True(first > 0 && first % 100 == 0 && bases.Add(first), $"EventIds.{area.Name}.Base is {first}: an area starts at its own multiple of 100");
            foreach (var field in area.GetFields().Where(f => f.IsLiteral && f.Name != "Base"))
            {
                var id = Constant(field);
                var name = $"EventIds.{area.Name}.{field.Name}";
                Assert.True(id > first && id < first + 100, $"{name} is {id}, outside its area's {first + 1}–{first + 99}");
                Assert.True(owners.TryAdd(id, name), $"{name} is {id}, as {owners.GetValueOrDefault(id)} is");
            }
        }
    }

    [Fact]
    public void LoggerMessages_TakeTheirIdsFromTheRegistry_NoTwoTheSame()
    {
        var registry = typeof(EventIds).GetNestedTypes().SelectMany(a => a.GetFields()).Where(f => f.IsLiteral && f.Name != "Base").Select(Constant).ToHashSet();
        var users = new Dictionary<int, string>();
        var messages = new[] { typeof(BackendGrain), typeof(WsOrleansSettings), typeof(HandshakeRateLimiter) }
            .SelectMany(a => a.Assembly.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Name: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.NotEmpty(messages);
        foreach (var (name, attribute) in messages)
        {
            Assert.True(registry.Contains(attribute!.EventId), $"{name} logs with event id {attribute.EventId}, which is not in EventIds");
            Assert.True(users.TryAdd(attribute.EventId, name), $"{name} and {users.GetValueOrDefault(attribute.EventId)} both log with event id {attribute.EventId}");
        }
    }

    private static int Constant(FieldInfo field) => (int)field.GetRawConstantValue()!;
}
