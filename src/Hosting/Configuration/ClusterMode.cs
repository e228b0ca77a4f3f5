namespace WsOrleans.Hosting.Configuration;

/// <summary>How the processes of a WsOrleans cluster find each other and where grain state lives.</summary>
public enum ClusterMode
{
    /// <summary>The edge co-hosts one silo with memory state: one process, nothing else to run.</summary>
    Embedded,

    /// <summary>Silo and edge processes on one machine, localhost clustering, memory state.</summary>
    Localhost,

    /// <summary>Clustering and grain state in Redis, for many machines.</summary>
    Redis,
}
