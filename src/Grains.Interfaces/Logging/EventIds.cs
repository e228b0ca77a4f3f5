namespace WsOrleans.Logging;

/// <summary>
/// The event ids of every message WsOrleans logs, in one place so that no two messages share one. Each area owns
/// the hundred ids from its <c>Base</c> (the nested classes, in order); a new message takes the next free id of its
/// area. It lives here because every project that logs references this one. docs/metrics.md lists the ranges.
/// </summary>
public static class EventIds
{
    /// <summary>What silos and edges share (src/Hosting): seeding pools, a supervised exit. 100–199.</summary>
    public static class Hosting
    {
        public const int Base = 100;
        public const int PoolSeeded = Base + 1;
        public const int NoPools = Base + 2;
        public const int PoolRepairFailed = Base + 3;
        public const int PoolSeedRetried = Base + 4;
        public const int SupervisedExit = Base + 10;
    }

    /// <summary>The routing grain (src/Grains/Pools): its configuration, drains and rebalancing. 200–299.</summary>
    public static class Pools
    {
        public const int Base = 200;
        public const int Seeded = Base + 1;
        public const int BackendUpserted = Base + 2;
        public const int BackendRemoved = Base + 3;
        public const int AdminStateSet = Base + 4;
        public const int StrategySet = Base + 5;
        public const int DrainStarted = Base + 10;
        public const int RebalanceRoundStarted = Base + 11;
        public const int RebalanceRoundEnded = Base + 12;
        public const int AdmittedNotCounted = Base + 20;
    }

    /// <summary>The backend grains (src/Grains/Backends): health and the edges' leases. 300–399.</summary>
    public static class Backends
    {
        public const int Base = 300;
        public const int HealthChanged = Base + 1;
        public const int ReturnedAfterEjection = Base + 2;
        public const int LeaseLapsed = Base + 10;
        public const int Reconciled = Base + 11;
        public const int CountsRebuilding = Base + 12;
        public const int CountsRebuilt = Base + 13;
        public const int CountedFromHeartbeat = Base + 14;
        public const int RegistryUnread = Base + 15;
    }

    /// <summary>The edge's admission (src/Edge/Admission): origins, rates, per-address caps. 400–499.</summary>
    public static class Admission
    {
        public const int Base = 400;
        public const int OriginRefused = Base + 1;
        public const int RateLimited = Base + 2;
        public const int AddressFull = Base + 3;
        public const int CountFailed = Base + 4;
    }

    /// <summary>The edge's lease and count reports (src/Edge/Cluster). 500–599.</summary>
    public static class EdgeCluster
    {
        public const int Base = 500;
        public const int HeartbeatFailed = Base + 1;
        public const int Reconnected = Base + 2;
        public const int Left = Base + 3;
        public const int LeaveFailed = Base + 4;
    }

    /// <summary>The edge's routes (src/Edge/Routing): the route table and routing alone when the cluster does not answer. 600–699.</summary>
    public static class Routing
    {
        public const int Base = 600;
        public const int RoutesLoaded = Base + 1;
        public const int RoutesRefreshFailed = Base + 2;
        public const int RegistryEmpty = Base + 3;
        public const int Degraded = Base + 10;
        public const int Resumed = Base + 11;
    }

    /// <summary>The management listener and admin API (src/Edge/Management). 700–799.</summary>
    public static class Management
    {
        public const int Base = 700;
        public const int NoApiKey = Base + 1;
        public const int RequestFailed = Base + 2;
        public const int AdminChange = Base + 10;
        public const int AdminRebalance = Base + 11;
    }

    /// <summary>The edge's handshakes and plain requests (src/Edge/Forwarding). 800–899.</summary>
    public static class Forwarding
    {
        public const int Base = 800;
        public const int NoBackend = Base + 1;
        public const int RouteFailed = Base + 2;
        public const int BackendUnreachable = Base + 3;
        public const int Retrying = Base + 4;
        public const int NoOtherBackend = Base + 5;
        public const int AllUnhealthy = Base + 6;
        public const int BackendAnsweredError = Base + 7;
        public const int DetachedTunnelFailed = Base + 8;
        public const int LongRequest = Base + 12;
    }

    /// <summary>The edge's tunnels and the connection log (src/Edge/Tunneling). 900–999.</summary>
    public static class Tunneling
    {
        public const int Base = 900;
        public const int CloseOrdered = Base + 1;
        public const int TunnelOpened = Base + 10;
        public const int TunnelClosed = Base + 11;
    }

    /// <summary>The edge's connections to backends (src/Edge/BackendClient). 1000–1099.</summary>
    public static class BackendClient
    {
        public const int Base = 1000;
        public const int ValidationOff = Base + 1;
    }

    /// <summary>The edge's listening sockets (src/Edge/Transport). 1100–1199.</summary>
    public static class Transport
    {
        public const int Base = 1100;
    }
}
