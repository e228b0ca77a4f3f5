using System.Text.Encodings.Web;
using System.Text.Json;
using HdrHistogram;
using WsOrleans.Bench.Metrics;

namespace WsOrleans.Bench.Reporting;

/// <summary>Writes one JSON object as one line on stdout, flat so <c>jq .rttP99Us</c> reads it.</summary>
internal static class JsonReport
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        stdout.Write("\n"u8);
        stdout.Flush();
    }

    /// <summary><c>"name": {"kind": count, ...}</c>.</summary>
    public static void WriteKinds(this Utf8JsonWriter writer, string name, ErrorCounter errors)
    {
        writer.WriteStartObject(name);
        foreach (var (kind, count) in errors.ByKind())
        {
            writer.WriteNumber(kind, count);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{prefix}P50Ms</c>, <c>{prefix}P99Ms</c>, ... from a microsecond histogram, in milliseconds; <c>null</c>
    /// when nothing was recorded.
    /// </summary>
    public static void WriteMilliseconds(this Utf8JsonWriter writer, string prefix, LongHistogram histogram, params double[] percentiles) =>
        WritePercentiles(writer, prefix, "Ms", histogram, 1000.0, 3, percentiles);

    /// <summary>As <see cref="WriteMilliseconds"/>, in microseconds: <c>{prefix}P50Us</c>, ...</summary>
    public static void WriteMicroseconds(this Utf8JsonWriter writer, string prefix, LongHistogram histogram, params double[] percentiles) =>
        WritePercentiles(writer, prefix, "Us", histogram, 1.0, 1, percentiles);

    public static void WriteRounded(this Utf8JsonWriter writer, string name, double value, int digits = 3) =>
        writer.WriteNumber(name, Math.Round(value, digits));

    private static void WritePercentiles(Utf8JsonWriter writer, string prefix, string unit, LongHistogram histogram, double divisor, int digits, double[] percentiles)
    {
        var empty = histogram.TotalCount == 0;
        foreach (var percentile in percentiles)
        {
            var name = $"{prefix}P{percentile.ToString(System.Globalization.CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal)}{unit}";
            WriteValue(name, empty ? null : histogram.GetValueAtPercentile(percentile));
        }

        WriteValue($"{prefix}Max{unit}", empty ? null : histogram.GetMaxValue());
        if (empty)
        {
            writer.WriteNull($"{prefix}Mean{unit}");
        }
        else
        {
            writer.WriteRounded($"{prefix}Mean{unit}", histogram.GetMean() / divisor, digits);
        }

        void WriteValue(string name, long? microseconds)
        {
            if (microseconds is { } value)
            {
                writer.WriteRounded(name, value / divisor, digits);
            }
            else
            {
                writer.WriteNull(name);
            }
        }
    }
}
