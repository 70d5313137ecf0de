using SocketIoChannels.LoadTest.Client;
using SocketIoChannels.LoadTest.Runner;
using SocketIoChannels.LoadTest.Servers;

// One executable, five roles: the orchestrator ("run"), a server ("server ours|signalr|raw"), the load client
// ("client ..."), the heap census ("heap") and the report of a past run ("report DIR"). The orchestrator starts each
// server and the client as separate processes; the node servers (node06, node48) are bench/node/*.js, started with node.
return args.FirstOrDefault() switch
{
    "run" => await Orchestrator.RunAsync(args[1..]),
    "server" when args.Length > 1 => await ServerHost.RunAsync(args[1], args[2..]),
    "client" => await LoadClient.RunAsync(args[1..]),
    "heap" when args.Length > 1 => HeapCensus.Run(args[1..]),
    "report" => await ReportCommand.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: LoadTest run quick|medium|full [--servers ours,signalr,raw,node06,node48] [--scenarios fanout,idle,polling,echo,scaleout,fanout5,idle5,polling5] [--sources 127.0.0.1,127.0.0.2] [--out DIR]
               LoadTest report DIR [--replace DIR2[,DIR3…]] [--publish yes]
               LoadTest server ours|signalr|raw
               LoadTest client --scenario S --kind K --url URL --server-pid PID [...]
        """);
    return 2;
}
