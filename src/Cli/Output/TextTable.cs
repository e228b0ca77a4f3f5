namespace WsOrleans.Cli.Output;

/// <summary>Columns aligned with two spaces between them, like <c>kubectl get</c>; no trailing spaces.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [headers];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output, string indent = "")
    {
        var widths = new int[_rows.Max(r => r.Length)];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in _rows)
        {
            var line = string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i])));
            output.WriteLine((indent + line).TrimEnd());
        }
    }
}
