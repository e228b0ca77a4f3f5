using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WsOrleans.EchoBackend;

/// <summary>
/// The two JSON documents the server writes: the handshake report and <c>GET /stats</c>.
/// </summary>
internal static class EchoJson
{
    // A test tool, not a web page: keep '+', '&', '<' and non-ASCII readable instead of \u-escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <c>{"id","path","query","subProtocol","headers":{name: values joined with ", "}}</c> for the request
    /// that opened the WebSocket. <c>query</c> keeps its leading <c>?</c> and is empty when there is none.
    /// </summary>
    public static byte[] Handshake(string id, HttpRequest request, string? subProtocol)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("path", request.PathBase.Add(request.Path).Value ?? "");
            writer.WriteString("query", request.QueryString.Value ?? "");
            writer.WriteString("subProtocol", subProtocol);
            writer.WriteStartObject("headers");
            foreach (var (name, values) in request.Headers)
            {
                writer.WriteString(name, string.Join(", ", values.ToArray()));
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"id","open","total"}</c>: the server's own count of WebSocket sessions.</summary>
    public static byte[] Stats(string id, int open, long total)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteNumber("open", open);
            writer.WriteNumber("total", total);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
