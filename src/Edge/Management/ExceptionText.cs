namespace WsOrleans.Edge.Management;

/// <summary>What an answer says of an exception: Orleans appends whole inner exceptions to some messages, which the log keeps and an answer does not need.</summary>
internal static class ExceptionText
{
    public static string FirstLine(Exception exception) => exception.Message.Split('\n', 2)[0].Trim();
}
