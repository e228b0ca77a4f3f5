using System.Text.Json;

namespace WsOrleans.Cli.Output;

/// <summary>
/// <c>GET /status</c> for people: any other top-level lists (silos, edges) as tables of their plain fields,
/// then one block per pool with a row per backend, then the totals.
/// </summary>
internal static class StatusTable
{
    public static void Write(JsonElement status, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (status.ValueKind == JsonValueKind.Object)
        {
            foreach (var list in status.EnumerateObject().Where(p => p.Name != "pools" && p.Value.ValueKind == JsonValueKind.Array))
            {
                WriteList(list.Name, list.Value, output);
            }
        }

        var pools = JsonText.Array(status, "pools").ToList();
        foreach (var pool in pools)
        {
            WritePool(pool, output);
        }

        var backends = pools.SelectMany(p => JsonText.Array(p, "backends")).ToList();
        var connections = backends.Sum(b => b.TryGetProperty("connections", out var c) && c.TryGetInt64(out var n) ? n : 0);
        output.WriteLine($"{Count(pools.Count, "pool")}, {Count(backends.Count, "backend")}, {Count(connections, "live connection")}");
    }

    private static void WritePool(JsonElement pool, TextWriter output)
    {
        output.WriteLine(
            $"POOL {JsonText.Field(pool, "name")}  path {JsonText.Field(pool, "path")}  strategy {PoolText.Strategy(pool)}  version {JsonText.Field(pool, "version")}");
        var backends = JsonText.Array(pool, "backends").ToList();
        if (backends.Count == 0)
        {
            output.WriteLine("  (no backends)");
        }
        else
        {
            var table = new TextTable(BackendText.Headers);
            foreach (var backend in backends)
            {
                table.Add(BackendText.Cells(backend));
            }

            table.Write(output, "  ");
        }

        output.WriteLine();
    }

    /// <summary>A list this CLI does not know field by field: its plain (non-object) fields, in the order the edge writes them.</summary>
    private static void WriteList(string name, JsonElement items, TextWriter output)
    {
        // A list of plain values (the status's "problems") is printed one per line.
        var values = items.EnumerateArray().Where(i => i.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)).ToList();
        if (values.Count > 0)
        {
            output.WriteLine(name.ToUpperInvariant());
            foreach (var value in values)
            {
                output.WriteLine($"  {(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}");
            }

            output.WriteLine();
            return;
        }

        var objects = items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).ToList();
        var fields = objects.SelectMany(o => o.EnumerateObject())
            .Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            .Select(p => p.Name)
            .Distinct()
            .ToList();
        output.WriteLine(name.ToUpperInvariant());
        if (objects.Count == 0 || fields.Count == 0)
        {
            output.WriteLine("  (none)");
        }
        else
        {
            var table = new TextTable([.. fields.Select(f => f.ToUpperInvariant())]);
            foreach (var item in objects)
            {
                table.Add([.. fields.Select(f => JsonText.Field(item, f))]);
            }

            table.Write(output, "  ");
        }

        output.WriteLine();
    }

    private static string Count(long count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
