using System.Buffers;
using System.Text;

namespace WsOrleans.Edge.BackendClient;

/// <summary>Writes an HTTP/1.1 request head (request line and headers) for a body-less request, as YARP prepared it.</summary>
internal static class RequestHeadWriter
{
    /// <summary>Writes the head into <paramref name="output"/>; header values are Latin-1 on the wire, as SocketsHttpHandler sends them.</summary>
    public static void Write(HttpRequestMessage request, ArrayBufferWriter<byte> output)
    {
        var uri = request.RequestUri!;
        Append(output, request.Method.Method);
        Append(output, " ");
        Append(output, uri.PathAndQuery);
        Append(output, " HTTP/1.1\r\n");
        if (request.Headers.Host is null)
        {
            AppendHeader(output, "Host", uri.Authority);
        }

        foreach (var header in request.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                AppendHeader(output, header.Key, value);
            }
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                foreach (var value in header.Value)
                {
                    AppendHeader(output, header.Key, value);
                }
            }
        }

        Append(output, "\r\n");
    }

    private static void AppendHeader(ArrayBufferWriter<byte> output, string name, string value)
    {
        Append(output, name);
        Append(output, ": ");
        Append(output, value);
        Append(output, "\r\n");
    }

    private static void Append(ArrayBufferWriter<byte> output, string text) =>
        output.Advance(Encoding.Latin1.GetBytes(text, output.GetSpan(text.Length)));
}
